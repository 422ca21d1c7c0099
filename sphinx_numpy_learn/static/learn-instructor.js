/* sphinx-numpy-learn: the "Instructor view" button of pages with instructor notes, in
   a learner build. Off, the notes are hidden (on screen and on paper); on, they are
   open and the page's total minutes show. The choice is remembered in this site's
   localStorage (blocked storage: not remembered). The button starts hidden: without
   this script the notes are closed disclosures and the totals stay hidden.

   Minified as written (rjsmin keeps names), so the names are short: `b` the button,
   `k` the storage key, `v` shows a view, `o` whether the instructor view is on. */
(() => {
  const d = document,
    b = /** @type {HTMLButtonElement | null} */ (d.querySelector(".learn-inote-toggle")),
    s = /** @type {HTMLScriptElement | null} */ (d.currentScript),
    k = "learn-view:" + (s ? new URL("..", s.src).pathname : ""),
    v = /** @param {boolean} o */ o => {
      b?.setAttribute("aria-pressed", "" + o);
      d.querySelectorAll(".learn-inote,.learn-inote-only").forEach(e => Object.assign(e, { hidden: !o, open: o }));
    };
  let o = !1;
  try { o = localStorage[k] == "1"; } catch { /* blocked */ }
  v(o);
  if (b) {
    b.hidden = !1;
    b.onclick = () => {
      v(o = !o);
      try { localStorage[k] = o ? "1" : ""; } catch { /* blocked or full */ }
    };
  }
})();
