/* sphinx-numpy-learn: "3 of 5 done", a "Done" mark on each finished tutorial and
   "Forget my progress" on catalogs and learning-path pages. Uses the saved progress
   of sphinx-numpy-learn-progress.js, loaded before this file. */
(() => {
  "use strict";
  const learn = window.sphinxNumpyLearn;
  if (!learn || !learn.available) return;

  // container: the catalog or the path's step list, which carries the labels;
  // items: its tutorials (data-learn-doc); place: puts the summary on the page.
  const summarise = (container, items, place) => {
    const template = learn.label(container, "learnProgress");
    if (!template) return;
    const summary = document.createElement("p");
    const status = document.createElement("span");
    const clear = document.createElement("button");
    summary.className = "learn-progress-summary";
    status.setAttribute("role", "status");
    clear.type = "button";
    clear.className = "learn-progress-clear";
    clear.textContent = learn.label(container, "learnClear");
    clear.onclick = () => {
      if (!confirm(learn.label(container, "learnClearConfirm"))) return;
      const data = learn.read();
      data.done = Object.create(null);
      learn.write(data);
      learn.changed();
    };
    summary.append(status, " ", clear);
    place(summary);
    const docs = items.map((item) => learn.label(item, "learnDoc"));

    learn.onChange(() => {
      const data = learn.read();
      items.forEach((item, index) => {
        const isDone = learn.isDone(data, docs[index]);
        let mark = item.querySelector(".learn-done-mark");
        item.classList.toggle("learn-is-done", isDone);
        if (isDone && !mark) {
          mark = document.createElement("span");
          mark.className = "learn-done-mark";
          mark.textContent = learn.label(container, "learnDoneLabel");
          (item.querySelector(".learn-card-facts") || item.querySelector("p") || item).append(mark);
        } else if (!isDone && mark) {
          mark.remove();
        }
      });
      const finished = learn.doneCount(docs);
      status.textContent = template.replace("{done}", finished);
      clear.hidden = !finished;
    });
  };

  learn.all(".learn-catalog").forEach((catalog) => {
    const cards = learn.all("li.learn-card", catalog);
    // After the filters and their status line, before the first group.
    const status = catalog.querySelector(".learn-catalog-status");
    if (cards.length) {
      summarise(catalog, cards, (summary) =>
        catalog.insertBefore(summary, status ? status.nextSibling : catalog.firstChild)
      );
    }
  });
  learn.all("ol.learn-path-steps").forEach((list) => {
    summarise(list, learn.all(":scope > li[data-learn-doc]", list), (summary) => list.after(summary));
  });
})();
