/* sphinx-numpy-learn: a catalog's filters (level, topic, audience). Without this
   script every card is shown and the filters, which start hidden, stay hidden. */
(() => {
  "use strict";
  const all = (selector, root) => Array.from(root.querySelectorAll(selector));
  // A card's topics, written at build time as a JSON list; anything else is none.
  const tagsOf = (card) => {
    let tags = [];
    try { tags = JSON.parse(card.dataset.learnTags || "[]"); } catch (error) { /* none */ }
    return Array.isArray(tags) ? tags.filter((tag) => typeof tag === "string") : [];
  };

  all(".learn-catalog", document).forEach((catalog) => {
    const form = catalog.querySelector(".learn-catalog-filters");
    const status = catalog.querySelector(".learn-catalog-status");
    if (!form || !status) return;
    const cards = all("li.learn-card", catalog);

    const apply = () => {
      const levels = all('input[name="level"]:checked', form).map((input) => input.value);
      const tag = form.elements.tag ? form.elements.tag.value : "";
      const audience = form.elements.audience ? form.elements.audience.value : "";
      let shown = 0;
      cards.forEach((card) => {
        const visible =
          (!levels.length || levels.includes(card.dataset.learnLevel)) &&
          (!tag || tagsOf(card).includes(tag)) &&
          (!audience || card.dataset.learnAudience === audience);
        card.hidden = !visible;
        if (visible) shown += 1;
      });
      // Hide a group's title, criterion and list when none of its cards is shown.
      all("ul.learn-cards", catalog).forEach((list) => {
        const any = list.querySelector("li.learn-card:not([hidden])") !== null;
        list.hidden = !any;
        let node = list.previousElementSibling;
        while (node && !node.matches("ul.learn-cards, form, .learn-catalog-status")) {
          node.hidden = !any;
          node = node.previousElementSibling;
        }
      });
      status.textContent = shown
        ? (status.dataset.template || "").replace("{shown}", shown)
        : status.dataset.empty || "";
      status.hidden = false;
    };

    form.addEventListener("change", apply);
    form.addEventListener("reset", () => setTimeout(apply, 0));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
  });
})();
