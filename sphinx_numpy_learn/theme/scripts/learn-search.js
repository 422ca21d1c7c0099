/* With pydata-sphinx-theme's search-as-you-type on: load the site's search index the
   first time the search dialog takes focus, not with every page (theme/search.py).
   Sphinx's Search (searchtools.js, on the page) keeps a query typed before the index
   arrives and runs it when the index calls Search.setIndex. This file is at
   _static/scripts/, the index at the site's root. */
(() => {
  "use strict";
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  if (!script) return;
  const index = new URL("../../searchindex.js", script.src).href,
    load = /** @param {FocusEvent} event */ event => {
      const target = /** @type {Element} */ (event.target);
      if (typeof Search != "object" || !target.closest("#pst-search-dialog")) return;
      removeEventListener("focusin", load);
      Search.loadIndex(index);
    };
  addEventListener("focusin", load);
})();
