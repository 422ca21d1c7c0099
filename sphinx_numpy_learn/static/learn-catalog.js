/* sphinx-numpy-learn: a catalog's filters (level, topic, audience). Without this
   script every card is shown and the filters, which start hidden, stay hidden.
   Minified (rjsmin), which keeps every name as written: the code is kept short. */
(() => {
  // The elements below `w` that match `q`. (c: a catalog; f: its filters; st: its
  // status line; cards: its cards; L: the levels ticked; n: how many cards show.)
  const all = /** @param {string} q @param {ParentNode} w */ (q, w) => [...w.querySelectorAll(q)];

  all(".learn-catalog", document).forEach(c => {
    // Typed as present: apply() runs only once both are found (below).
    const f = /** @type {LearnCatalogFilters} */ (c.querySelector(".learn-catalog-filters")),
      st = /** @type {HTMLElement} */ (c.querySelector(".learn-catalog-status")),
      cards = all("li.learn-card", c),
      apply = () => {
        const /** @type {(string | undefined)[]} */ L = all("[name=level]:checked", f).map(i => /** @type {HTMLInputElement} */ (i).value),
          { tag, audience } = f.elements;
        let n = 0;
        cards.forEach(card => {
          // A card's topics, written at build time as a JSON list; anything else is none.
          let tags = [];
          try { tags = JSON.parse(card.dataset.learnTags || "[]") } catch { /* none */ }
          card.hidden = !(
            (!L.length || L.includes(card.dataset.learnLevel)) &&
            (!tag || !tag.value || (Array.isArray(tags) && tags.includes(tag.value))) &&
            (!audience || !audience.value || card.dataset.learnAudience == audience.value)
          );
          n += +!card.hidden
        });
        // Hide a group's title, criterion and list when none of its cards is shown.
        all("ul.learn-cards", c).forEach(list => {
          const none = !list.querySelector("li.learn-card:not([hidden])");
          let /** @type {HTMLElement | null} */ el = list;
          do {
            el.hidden = none;
            el = /** @type {HTMLElement | null} */ (el.previousElementSibling)
          } while (el && !el.matches("ul.learn-cards,form,.learn-catalog-status"));
        });
        st.textContent = n ? (st.dataset.template || "").replace("{shown}", n) : st.dataset.empty || "";
        st.hidden = false
      };
    if (!f || !st) return;
    f.onchange = apply;
    f.onreset = () => setTimeout(apply);
    f.onsubmit = e => e.preventDefault();
    f.hidden = false
  })
})();
