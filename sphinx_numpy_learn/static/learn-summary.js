/* sphinx-numpy-learn: "3 of 5 done", a "Done" mark on each finished tutorial and
   "Forget my progress" on catalogs and learning-path pages. The build writes the
   summary line, hidden, after a catalog's filters and after a path's steps; this
   script shows and fills it. Uses the saved progress of learn-progress.js,
   loaded before this file (and, like it, written short: it is minified, names kept). */
(() => {
  "use strict";
  const learn = window.sphinxNumpyLearn;
  if (!learn || !learn.available) return;

  // box: the catalog or the path's step list, which carries the labels; items: its
  // tutorials (data-learn-doc); summary: its summary line (the element after a path's
  // list: an HTML one when it has our class).
  /** @param {HTMLElement} box @param {HTMLElement[]} items @param {(Element & { hidden?: boolean }) | null} summary */
  const summarise = (box, items, summary) => {
    const text = /** @param {string} name */ name => learn.label(box, name),
      template = text("learnProgress"),
      ours = !!summary && summary.classList.contains("learn-progress-summary"),
      status = ours && summary.querySelector("[role=status]"),
      clear = ours && summary.querySelector("button"),
      docs = items.map(item => learn.label(item, "learnDoc"));
    if (!items.length || !template || !status || !clear) return;
    clear.onclick = () => {
      if (!confirm(text("learnClearConfirm"))) return;
      const data = learn.read();
      data.done = Object.create(null);
      learn.write(data);
      learn.changed();
    };
    learn.onChange(() => {
      const data = learn.read();
      let done = 0;
      items.forEach((item, i) => {
        const isDone = learn.isDone(data, docs[i]),
          mark = document.createElement("span");
        item.classList.toggle("learn-is-done", isDone);
        item.querySelectorAll(".learn-done-mark").forEach(old => old.remove());
        if (isDone) {
          done++;
          mark.className = "learn-done-mark";
          mark.textContent = text("learnDoneLabel");
          (item.querySelector(".learn-card-facts") || item.querySelector("p") || item).append(mark);
        }
      });
      status.textContent = template.replace("{done}", done);
      clear.hidden = !done;
    });
    summary.hidden = false;
  };

  learn.all(".learn-catalog").forEach(catalog => {
    summarise(catalog, learn.all("li.learn-card", catalog), catalog.querySelector(".learn-progress-summary"));
  });
  learn.all("ol.learn-path-steps").forEach(list => {
    summarise(list, learn.all(":scope>li[data-learn-doc]", list), list.nextElementSibling);
  });
})();
