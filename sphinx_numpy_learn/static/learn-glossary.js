// sphinx-numpy-learn: Escape hides the glossary tooltips shown (learn-glossary.css
// shows them on hover and focus) until the pointer or the focus moves elsewhere
// (WCAG 1.4.13): the terms hovered or focused get learn-x (o) until an element outside
// them is. Short names: every byte is sent with each page that names a term. A block,
// not a function, keeps the names to this file.
{
  const o = "learn-x", q = /** @param {string} s */ s => document.querySelectorAll(s);
  addEventListener("keydown", e => { e.key == "Escape" && q(".learn-term:is(:hover,:focus-within)").forEach(x => x.classList.add(o)) });
  for (const v of ["mouseover", "focusin"]) addEventListener(v, e =>
    q("." + o).forEach(x => x.classList.toggle(o, x.contains(/** @type {Node} */ (e.target)))))
}
