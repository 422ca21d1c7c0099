/* sphinx-numpy-learn theme: the header's site title and links are cut short with an
   ellipsis when the row is too narrow (see the stylesheet's header section). Screen
   readers read the whole text anyway; mouse users get it as a tooltip, on the
   clipped ones only. */
(() => {
  "use strict";
  const CLIPPABLE = ".bd-header .logo__title, .bd-header .navbar-nav > .nav-item > .nav-link";

  const showClippedText = () => {
    for (const element of document.querySelectorAll(CLIPPABLE)) {
      const clipped = element.scrollWidth > element.clientWidth;
      if (clipped && !element.hasAttribute("title")) {
        element.title = element.textContent.replace(/\s+/g, " ").trim();
        element.dataset.learnClipped = "";
      } else if (!clipped && "learnClipped" in element.dataset) {
        // Only the tooltips this script added: a link's own title stays.
        element.removeAttribute("title");
        delete element.dataset.learnClipped;
      }
    }
  };

  const start = () => {
    showClippedText();
    window.addEventListener("resize", showClippedText);
    // Widths change again once the web fonts arrive.
    if (document.fonts) document.fonts.ready.then(showClippedText);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
