/* sphinx-numpy-learn theme: the header's site title and links are cut short with an
   ellipsis when the row is too narrow (see the stylesheet's header section). Screen
   readers read the whole text anyway; mouse users get it as a tooltip, on the
   clipped ones only. The theme adds this file deferred, so the page is parsed when
   it runs; it is minified (rjsmin), which keeps names as written, and kept short as it
   is on every page: `f` fits the tooltips, `c` says whether an element is clipped. */
(() => {
  const f = () => {
    for (const el of document.querySelectorAll(".bd-header :is(.logo__title,.navbar-nav>.nav-item>.nav-link)")) {
      const c = el.scrollWidth > el.clientWidth;
      if (c && !el.hasAttribute("title")) {
        // Its text as shown: white space collapsed (the stylesheet says nowrap).
        el.title = el.innerText;
        el.dataset.learnClipped = ""
      } else if (!c && "learnClipped" in el.dataset) {
        // Only the tooltips this script added: a link's own title stays.
        el.removeAttribute("title");
        delete el.dataset.learnClipped
      }
    }
  };
  f();
  addEventListener("resize", f);
  // Widths change again once the web fonts arrive.
  document.fonts.ready.then(f)
})();
