/* sphinx-numpy-learn in the browser, shared part: the reader's saved progress, the
   "I have finished this tutorial" checkbox and, in the sphinx_numpy_learn theme's
   sidebar, the "2 of 5 done" lines.

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
   per block and short names for local values (`data` is always read()'s result,
   `doc` a document's name, `el` an element). */
(() => {
  "use strict";
  // (This file's <script> tag: an HTML one, never SVG's.)
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript),
    config = script ? script.dataset : {},
    // The site's root is this file's folder's parent (_static/..): two sites on one
    // host, or two projects on one site (data-learn-project), keep their own progress.
    root = script ? new URL("..", script.src).pathname : "/",
    key = "sphinx-numpy-learn:v" + (config.learnStorage || 1) + ":" + root + ":" + (config.learnProject || ""),
    isText = /** @param {unknown} value @returns {value is string} */ value => typeof value == "string",
    // A JSON object's own entries ("__proto__" too, as a plain key) in a map without a
    // prototype, where `in` finds only them; anything else gives an empty map.
    own = /** @param {unknown} [value] @returns {Record<string, any>} */ value => Object.assign(Object.create(null), !!value && typeof value == "object" && !Array.isArray(value) && value);
  // Blocked storage throws (or is null) when it is read.
  let store = null;
  try {
    store = localStorage;
    store.getItem(key);
  } catch {
    store = null;
  }

  // The saved state, {done: {doc: date}, checklists: {id: [step key]}}. Storage is
  // untrusted (another script, an old version, a hand edit): only what this script
  // writes counts, anything else reads as no progress, so a page named "constructor"
  // or "__proto__" is a page like any other. (Without storage, store is null: read()
  // and write() catch that TypeError as they do storage's own errors.)
  /** @type {SphinxNumpyLearn["read"]} */
  const read = () => {
      let saved;
      try { saved = own(JSON.parse(/** @type {Storage} */ (store).getItem(key))); } catch { saved = own(); }
      const done = own(saved.done), lists = own(saved.checklists);
      for (const doc in done) {
        if (!isText(done[doc]) || !/^\d{4}-\d\d-\d\d$/.test(done[doc])) delete done[doc];
      }
      for (const id in lists) {
        if (Array.isArray(lists[id])) lists[id] = lists[id].filter(isText);
        else delete lists[id];
      }
      return { done, checklists: lists };
    },
    write = /** @param {LearnProgress} data */ data => {
      try { /** @type {Storage} */ (store).setItem(key, JSON.stringify(data)); } catch { /* full: keep going */ }
    },
    // Whatever shows saved state registers a callback; all of them run again on any
    // change, in this tab (changed()) or in another one (the storage event).
    /** @type {(() => void)[]} */
    shows = [],
    changed = () => shows.forEach(show => show()),
    onChange = /** @param {() => void} show */ show => { shows.push(show); show(); },
    all = /** @param {string} selector @param {ParentNode} [within] */ (selector, within) => [...(within || document).querySelectorAll(selector)],
    // Whether the reader marked this document (a name, never "") as done, in read()'s data.
    isDone = /** @param {LearnProgress} data @param {string | undefined} doc */ (data, doc) => !!doc && doc in data.done,
    // A build-time data attribute (a label, a name); a missing one is "".
    label = /** @param {HTMLElement} el @param {string} name */ (el, name) => el.dataset[name] || "";
  addEventListener("storage", event => { if (event.key == key) changed(); });
  window.sphinxNumpyLearn = { available: !!store, read, write, changed, onChange, all, isDone, label };
  if (!store) return;

  // -- "I have finished this tutorial" -------------------------------------------------
  all(".learn-done").forEach(el => {
    const /** @type {HTMLInputElement | null} */ input = el.querySelector("input.learn-done-input"),
      doc = input && input.dataset.learnDoc;
    if (!doc) return;
    onChange(() => { input.checked = isDone(read(), doc); });
    input.onchange = () => {
      const data = read();
      if (input.checked) data.done[doc] = new Date().toISOString().slice(0, 10);
      else delete data.done[doc];
      write(data);
      changed();
    };
    el.hidden = false;
  });

  // -- The sidebar: "2 of 5 done" and a bar, under each section that lists tutorials --
  all(".learn-nav-progress").forEach(el => {
    const template = label(el, "learnProgress"),
      bar = document.createElement("span");
    // The section's tutorials, a JSON list written at build time; anything else (a
    // missing attribute too) is none.
    let /** @type {string[]} */ docs = [];
    try { docs = JSON.parse(/** @type {string} */ (el.dataset.learnDocs)).filter(isText); } catch { /* none */ }
    if (!docs.length || !template) return;  // nothing to count: the line stays hidden
    onChange(() => {
      const data = read(),
        done = docs.filter(doc => isDone(data, doc)).length;
      el.textContent = template.replace("{done}", done);
      bar.style.setProperty("--learn-done", (100 * done) / docs.length + "%");
      el.append(bar);
    });
    el.hidden = false;
  });
})();
