/* sphinx-numpy-learn in the browser, shared part: the reader's saved progress, the
   "I have finished this tutorial" checkbox and the sidebar's "2 of 5 done" lines
   (sphinx_numpy_learn theme).

   The extension adds this file, deferred, before its other scripts that need saved
   progress (summaries, checklists); they use what it exposes as
   window.sphinxNumpyLearn. Deferred scripts run in document order once the page is
   parsed, so no script waits for DOMContentLoaded. Labels come from data attributes
   written at build time, never from strings pasted into a script.

   Nothing leaves the browser: one versioned localStorage key per site. If storage is
   blocked, the controls that need it stay hidden (they start with the hidden
   attribute). */
(() => {
  "use strict";
  const script = document.currentScript;
  const config = script ? script.dataset : {};
  // The site's root is this file's folder's parent (_static/..): two sites on one
  // host, or two projects on one site (data-learn-project), keep their own progress.
  const root = script ? new URL("..", script.src).pathname : "/";
  const key = "sphinx-numpy-learn:v" + (config.learnStorage || 1) + ":" + root + ":" + (config.learnProject || "");
  let storage = null;
  try {
    storage = localStorage;
    storage.setItem(key + ":probe", "1");
    storage.removeItem(key + ":probe");
  } catch (error) {
    storage = null;
  }

  // The saved state, {done: {docname: date}, checklists: {id: [step key]}}. Missing or
  // unreadable data (or no storage) reads as empty.
  const isObject = (value) => value && typeof value === "object";
  const read = () => {
    let data;
    try { data = JSON.parse(storage.getItem(key)); } catch (error) { /* as empty */ }
    if (!isObject(data)) data = {};
    if (!isObject(data.done)) data.done = {};
    if (!isObject(data.checklists)) data.checklists = {};
    return data;
  };
  const write = (data) => {
    try { storage.setItem(key, JSON.stringify(data)); } catch (error) { /* full: keep going */ }
  };

  // Whatever shows saved state registers a callback; all of them run again on any
  // change, in this tab (changed()) or in another one (the storage event).
  const listeners = [];
  const changed = () => listeners.forEach((callback) => callback());
  const onChange = (callback) => { listeners.push(callback); callback(); };
  addEventListener("storage", (event) => { if (event.key === key) changed(); });

  const all = (selector, within) => [...(within || document).querySelectorAll(selector)];
  // How many of these documents the reader marked as done.
  const doneCount = (docs) => { const done = read().done; return docs.filter((doc) => done[doc]).length; };
  window.sphinxNumpyLearn = { available: !!storage, read, write, changed, onChange, all, doneCount };
  if (!storage) return;

  // -- "I have finished this tutorial" -------------------------------------------------
  all(".learn-done").forEach((container) => {
    const input = container.querySelector("input.learn-done-input");
    if (!input) return;
    const doc = input.dataset.learnDoc;
    onChange(() => { input.checked = !!read().done[doc]; });
    input.addEventListener("change", () => {
      const data = read();
      if (input.checked) data.done[doc] = new Date().toISOString().slice(0, 10);
      else delete data.done[doc];
      write(data);
      changed();
    });
    container.hidden = false;
  });

  // -- The sidebar: "2 of 5 done" and a bar, under each section that lists tutorials --
  all(".learn-nav-progress").forEach((line) => {
    const docs = JSON.parse(line.dataset.learnDocs);
    const bar = document.createElement("span");
    onChange(() => {
      const done = doneCount(docs);
      line.textContent = line.dataset.learnProgress.replace("{done}", done);
      bar.style.setProperty("--learn-done", (100 * done) / docs.length + "%");
      line.append(bar);
    });
    line.hidden = false;
  });
})();
