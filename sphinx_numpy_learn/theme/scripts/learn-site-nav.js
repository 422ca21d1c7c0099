/* sphinx-numpy-learn theme: in the site navigation (theme/site_nav.py), a tick after
   each tutorial the reader has done. Added, deferred, to the pages that show the site
   navigation and load the extension's progress script (which comes first: this file
   uses what it exposes as window.sphinxNumpyLearn). Minified (rjsmin), names kept. */
(() => {
  // L: what learn-progress.js exposes.
  const L = window.sphinxNumpyLearn;
  if (!L || !L.available) return;
  L.all(".learn-site-nav").forEach(nav => {
    // A check mark to see, the word for screen readers (part of the link's name).
    const tick = document.createElement("span");
    tick.className = "learn-nav-done";
    tick.innerHTML = '<span aria-hidden=true>\u2713</span><span class="learn-visually-hidden"></span>';
    /** @type {ChildNode} */ (tick.lastChild).textContent = " (" + L.label(nav, "learnDoneLabel") + ")";
    // Each tutorial's item, its link and its own mark, in the page only while done.
    /** @type {[HTMLElement, HTMLAnchorElement | null, HTMLSpanElement][]} */
    const items = L.all("li[data-learn-doc]", nav).map(li => [li, li.querySelector(":scope>a"), tick.cloneNode(true)]);
    L.onChange(() => {
      const d = L.read();
      items.forEach(([li, a, mark]) => {
        const done = !!a && L.isDone(d, li.dataset.learnDoc);
        li.classList.toggle("learn-is-done", done);
        done ? a.append(mark) : mark.remove()
      })
    })
  })
})();
