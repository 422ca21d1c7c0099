/* sphinx-numpy-learn theme: in the site navigation (theme/site_nav.py), a tick after
   each tutorial the reader has done. Added, deferred, to the pages that show the site
   navigation and load the extension's progress script (which comes first: this file
   uses what it exposes as window.sphinxNumpyLearn). Minified (rjsmin), names kept. */
(() => {
  "use strict";
  const learn = window.sphinxNumpyLearn;
  if (!learn || !learn.available) return;
  learn.all(".learn-site-nav").forEach(nav => {
    // A check mark to see, the word for screen readers (part of the link's name).
    const tick = document.createElement("span");
    tick.className = "learn-nav-done";
    tick.innerHTML = '<span aria-hidden=true>\u2713</span><span class="learn-visually-hidden"></span>';
    /** @type {ChildNode} */ (tick.lastChild).textContent = " (" + learn.label(nav, "learnDoneLabel") + ")";
    // Each tutorial's item, its link and its own mark, in the page only while done.
    /** @type {[HTMLElement, HTMLAnchorElement | null, HTMLSpanElement][]} */
    const items = learn.all("li[data-learn-doc]", nav).map(item => [item, item.querySelector(":scope>a"), tick.cloneNode(true)]);
    learn.onChange(() => {
      const data = learn.read();
      items.forEach(([item, link, mark]) => {
        const done = !!link && learn.isDone(data, item.dataset.learnDoc);
        item.classList.toggle("learn-is-done", done);
        if (done) link.append(mark);
        else mark.remove();
      });
    });
  });
})();
