/* sphinx-numpy-learn: a catalog's filters (level, topic, audience). Without this
   script every card is shown and the filters, which start hidden, stay hidden.
   Minified (rjsmin), which keeps every name as written: the code is kept short. */
(() => {
  "use strict";
  const all = /** @param {string} selector @param {ParentNode} within */ (selector, within) => [...within.querySelectorAll(selector)];

  all(".learn-catalog", document).forEach(catalog => {
    // Typed as present: apply() runs only once both are found (below).
    const form = /** @type {LearnCatalogFilters} */ (catalog.querySelector(".learn-catalog-filters")),
      status = /** @type {HTMLElement} */ (catalog.querySelector(".learn-catalog-status")),
      cards = all("li.learn-card", catalog),
      apply = () => {
        const /** @type {(string | undefined)[]} */ levels = all("[name=level]:checked", form).map(input => /** @type {HTMLInputElement} */ (input).value),
          { tag, audience } = form.elements;
        let shown = 0;
        cards.forEach(card => {
          // A card's topics, written at build time as a JSON list; anything else is none.
          let tags = [];
          try { tags = JSON.parse(card.dataset.learnTags || "[]"); } catch { /* none */ }
          card.hidden = !(
            (!levels.length || levels.includes(card.dataset.learnLevel)) &&
            (!tag || !tag.value || (Array.isArray(tags) && tags.includes(tag.value))) &&
            (!audience || !audience.value || card.dataset.learnAudience == audience.value)
          );
          shown += +!card.hidden;
        });
        // Hide a group's title, criterion and list when none of its cards is shown.
        all("ul.learn-cards", catalog).forEach(list => {
          const none = !list.querySelector("li.learn-card:not([hidden])");
          let /** @type {HTMLElement | null} */ node = list;
          do {
            node.hidden = none;
            node = /** @type {HTMLElement | null} */ (node.previousElementSibling);
          } while (node && !node.matches("ul.learn-cards,form,.learn-catalog-status"));
        });
        status.textContent = shown ? (status.dataset.template || "").replace("{shown}", shown) : status.dataset.empty || "";
        status.hidden = false;
      };
    if (!form || !status) return;
    form.onchange = apply;
    form.onreset = () => setTimeout(apply);
    form.onsubmit = e => e.preventDefault();
    form.hidden = false;
  });
})();
