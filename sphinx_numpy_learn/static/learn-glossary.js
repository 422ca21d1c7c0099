"use strict";
// sphinx-numpy-learn: Escape hides the glossary tooltips shown (learn-glossary.css
// shows them on hover and focus) until the pointer or the focus moves elsewhere
// (WCAG 1.4.13). Short names: every byte is sent with each page that names a term.
(() => {
  const o = "learn-x", t = ".learn-term", q = (/** @type {string} */ s) => document.querySelectorAll(s);
  addEventListener("keydown", e => {
    if (e.key == "Escape") for (const x of q(t + ":hover," + t + ":focus-within")) x.classList.add(o);
  });
  for (const v of ["mouseover", "focusin"])
    addEventListener(v, e => {
      for (const x of q("." + o)) x.contains(/** @type {Node} */ (e.target)) || x.classList.remove(o);
    });
})();
