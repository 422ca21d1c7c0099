/* sphinx-numpy-learn in the browser, shared part: the reader's saved progress, the
   "I have finished this tutorial" checkbox, in the sphinx_numpy_learn theme's
   sidebar the "2 of 5 done" lines, and the "Instructor view" button of pages with
   instructor notes (here rather than in a script of its own: most of those pages load
   this file anyway).

   The extension adds this file, deferred, before its other scripts that need saved
   progress (summaries, checklists, and the theme's site navigation with its ticks on
   the tutorials done: scripts/learn-site-nav.js); they use what it exposes as
   window.sphinxNumpyLearn. Deferred scripts run in document order once the page is
   parsed, so no script waits for DOMContentLoaded. Labels come from data attributes
   written at build time, never from strings pasted into a script.

   Nothing leaves the browser: one versioned localStorage key per site. If storage is
   blocked, the controls that need it stay hidden (they start with the hidden
   attribute).

   Pages get this file minified (rjsmin), which keeps every name as written, and most
   pages of a site load it: so the code is written short, with one declaration list
   per block, short names for local values and no semicolon before a closing brace:
   `k` is the storage key, `st` the storage, `d` always read()'s result, `doc` a
   document's name, `el` an element. The names it exposes keep their long form. */
(() => {
  // s: this file's <script> tag (an HTML one, never SVG's); c: its data attributes.
  // The site's root is this file's folder's parent (_static/..): two sites on one
  // host, or two projects on one site (data-learn-project), keep their own progress.
  // (r: that root's path.)
  const s = /** @type {HTMLScriptElement | null} */ (document.currentScript),
    c = s ? s.dataset : {},
    r = s ? new URL("..", s.src).pathname : "/",
    k = "sphinx-numpy-learn:v" + (c.learnStorage || 1) + ":" + r + ":" + (c.learnProject || ""),
    str = /** @param {unknown} v @returns {v is string} */ v => typeof v == "string",
    // A JSON object's own entries ("__proto__" too, as a plain key) in a map without a
    // prototype, where `in` finds only them; anything else gives an empty map.
    own = /** @param {unknown} [v] @returns {Record<string, any>} */ v => Object.assign(Object.create(null), !!v && typeof v == "object" && !Array.isArray(v) && v);
  // The storage, or null when blocked: that throws (or is null) when it is read.
  /** @type {Storage | null} */
  let st = null;
  try { (st = localStorage).getItem(k) } catch { st = null }

  // The saved state, {done: {doc: date}, checklists: {id: [step key]}} (D and C
  // below). Storage is untrusted (another script, an old version, a hand edit): only
  // what this script writes counts, anything else reads as no progress, so a page
  // named "constructor" or "__proto__" is a page like any other. (Without storage, st
  // is null: read() and write() catch that TypeError as they do storage's own errors.)
  /** @type {SphinxNumpyLearn["read"]} */
  const read = () => {
      let o = own();
      try { o = own(JSON.parse(/** @type {Storage} */ (st).getItem(k))) } catch { /* no progress */ }
      const D = own(o.done), C = own(o.checklists);
      for (const n in D) if (!str(D[n]) || !/^\d{4}-\d\d-\d\d$/.test(D[n])) delete D[n];
      for (const n in C) Array.isArray(C[n]) ? C[n] = C[n].filter(str) : delete C[n];
      return { done: D, checklists: C }
    },
    write = /** @param {LearnProgress} d */ d => {
      try { /** @type {Storage} */ (st).setItem(k, JSON.stringify(d)) } catch { /* full: keep going */ }
    },
    // Whatever shows saved state registers a callback (F: all of them); all of them
    // run again on any change, in this tab (changed()) or in another one (the
    // storage event).
    /** @type {(() => void)[]} */
    F = [],
    changed = () => F.forEach(f => f()),
    onChange = /** @param {() => void} f */ f => { F.push(f); f() },
    all = /** @param {string} q @param {ParentNode} [w] */ (q, w) => [...(w || document).querySelectorAll(q)],
    // Whether the reader marked this document (a name, never "") as done, in read()'s data.
    isDone = /** @param {LearnProgress} d @param {string | undefined} doc */ (d, doc) => !!doc && doc in d.done,
    // A build-time data attribute (a label, a name); a missing one is "".
    label = /** @param {HTMLElement} el @param {string} n */ (el, n) => el.dataset[n] || "";
  addEventListener("storage", e => { if (e.key == k) changed() });
  window.sphinxNumpyLearn = { available: !!st, read, write, changed, onChange, all, isDone, label };

  // -- The Instructor view button (b), in a learner build ------------------------------
  // Off, the notes and the page's total minutes are hidden (on screen and on paper);
  // on, the notes are open and the totals show. The choice is remembered for the site
  // (and project) under its own key (w, "1" when on), saved progress or not; without
  // storage, not remembered. The button starts hidden: without this script the notes
  // are closed disclosures and the totals stay hidden. (v shows a view and gives back
  // whether it is the instructor view, o; only the notes' <details> have `open`.)
  const b = all(".learn-inote-toggle")[0], w = k + ":view";
  if (b) {
    const v = /** @param {boolean} o */ o => {
      b.ariaPressed = "" + o;
      all(".learn-inote,.learn-inote-only").forEach(e => { e.hidden = !o; "open" in e && (e.open = o) });
      return o
    };
    let o = v(st?.[w] == 1);
    b.hidden = !1;
    b.onclick = () => {
      o = v(!o);
      try { /** @type {Storage} */ (st)[w] = o ? 1 : "" } catch { /* blocked or full */ }
    }
  }
  if (!st) return;

  // -- "I have finished this tutorial" (i: its checkbox) -------------------------------
  all(".learn-done").forEach(el => {
    const /** @type {HTMLInputElement | null} */ i = el.querySelector("input.learn-done-input"),
      doc = i && i.dataset.learnDoc;
    if (!doc) return;
    onChange(() => { i.checked = isDone(read(), doc) });
    i.onchange = () => {
      const d = read();
      i.checked ? d.done[doc] = new Date().toISOString().slice(0, 10) : delete d.done[doc];
      write(d);
      changed()
    };
    el.hidden = false
  });

  // -- The sidebar: "2 of 5 done" and a bar, under each section that lists tutorials --
  // (t: the line's label, with "{done}"; b: the bar; n: how many are done.)
  all(".learn-nav-progress").forEach(el => {
    const t = el.dataset.learnProgress,
      b = document.createElement("span");
    // The section's tutorials (L), a JSON list written at build time; anything else
    // (a missing attribute too) is none.
    let /** @type {string[]} */ L = [];
    try { L = JSON.parse(/** @type {string} */ (el.dataset.learnDocs)).filter(str) } catch { /* none */ }
    if (!L.length || !t) return;  // nothing to count: the line stays hidden
    onChange(() => {
      const d = read(),
        n = L.filter(doc => isDone(d, doc)).length;
      el.textContent = t.replace("{done}", n);
      b.style.setProperty("--learn-done", 100 * n / L.length + "%");
      el.append(b)
    });
    el.hidden = false
  });
})();
