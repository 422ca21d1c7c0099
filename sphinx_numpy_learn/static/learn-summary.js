/* sphinx-numpy-learn: "3 of 5 done", a "Done" mark on each finished tutorial and
   "Forget my progress" on catalogs and learning-path pages. The build writes the
   summary line, hidden, after a catalog's filters and after a path's steps; this
   script shows and fills it. Uses the saved progress of learn-progress.js,
   loaded before this file (and, like it, written short: it is minified, names kept). */
(() => {
  // L: what learn-progress.js exposes.
  const L = window.sphinxNumpyLearn;
  if (!L || !L.available) return;

  // box: the catalog or the path's step list, which carries the labels; items: its
  // tutorials (data-learn-doc); sum: its summary line (the element after a path's
  // list: an HTML one when it has our class). t: one of box's labels; st: the
  // status; x: "Forget my progress"; docs: the items' documents; d: read()'s data;
  // n: how many are done.
  /** @param {HTMLElement} box @param {HTMLElement[]} items @param {(Element & { hidden?: boolean }) | null} sum */
  const summarise = (box, items, sum) => {
    const t = /** @param {string} name */ name => L.label(box, name),
      tpl = t("learnProgress"),
      ours = !!sum && sum.classList.contains("learn-progress-summary"),
      st = ours && sum.querySelector("[role=status]"),
      x = ours && sum.querySelector("button"),
      docs = items.map(item => L.label(item, "learnDoc"));
    if (!items.length || !tpl || !st || !x) return;
    x.onclick = () => {
      if (!confirm(t("learnClearConfirm"))) return;
      const d = L.read();
      d.done = Object.create(null);
      L.write(d);
      L.changed()
    };
    L.onChange(() => {
      const d = L.read();
      let n = 0;
      items.forEach((item, i) => {
        const done = L.isDone(d, docs[i]),
          mark = document.createElement("span");
        item.classList.toggle("learn-is-done", done);
        item.querySelectorAll(".learn-done-mark").forEach(old => old.remove());
        if (done) {
          n++;
          mark.className = "learn-done-mark";
          mark.textContent = t("learnDoneLabel");
          (item.querySelector(".learn-card-facts") || item.querySelector("p") || item).append(mark)
        }
      });
      st.textContent = tpl.replace("{done}", n);
      x.hidden = !n
    });
    sum.hidden = false
  };

  L.all(".learn-catalog").forEach(c => summarise(c, L.all("li.learn-card", c), c.querySelector(".learn-progress-summary")));
  L.all("ol.learn-path-steps").forEach(l => summarise(l, L.all(":scope>li[data-learn-doc]", l), l.nextElementSibling))
})();
