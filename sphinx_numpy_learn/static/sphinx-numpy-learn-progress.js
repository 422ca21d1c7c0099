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

  // The saved state, {done: {docname: date}, checklists: {id: [step key]}}. Storage is
  // untrusted (another script, an old version, a hand edit): only what this script
  // writes counts, anything else reads as no progress. The maps have no prototype and
  // are read with has(), so a page named "constructor" or "__proto__" is a page.
  const isRecord = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  const has = (record, name) => Object.prototype.hasOwnProperty.call(record, name);
  const isDate = (value) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const isText = (value) => typeof value === "string";
  const read = () => {
    const data = { done: Object.create(null), checklists: Object.create(null) };
    let stored = null;
    try { stored = JSON.parse(storage.getItem(key)); } catch (error) { /* as empty */ }
    if (!isRecord(stored)) return data;
    if (has(stored, "done") && isRecord(stored.done)) {
      Object.keys(stored.done).forEach((doc) => {
        if (isDate(stored.done[doc])) data.done[doc] = stored.done[doc];
      });
    }
    if (has(stored, "checklists") && isRecord(stored.checklists)) {
      Object.keys(stored.checklists).forEach((id) => {
        const steps = stored.checklists[id];
        if (Array.isArray(steps)) data.checklists[id] = steps.filter(isText);
      });
    }
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
  // Whether the reader marked this document as done, in read()'s data.
  const isDone = (data, doc) => isText(doc) && doc !== "" && has(data.done, doc);
  // How many of these documents the reader marked as done.
  const doneCount = (docs) => { const data = read(); return docs.filter((doc) => isDone(data, doc)).length; };
  // Build-time data attributes are read as carefully: a missing one is no label.
  const label = (element, name) => (isText(element.dataset[name]) ? element.dataset[name] : "");
  window.sphinxNumpyLearn = {
    available: !!storage, read, write, changed, onChange, all, doneCount, isDone, has, isText, label,
  };
  if (!storage) return;

  // -- "I have finished this tutorial" -------------------------------------------------
  all(".learn-done").forEach((container) => {
    const input = container.querySelector("input.learn-done-input");
    if (!input || !input.dataset.learnDoc) return;
    const doc = input.dataset.learnDoc;
    onChange(() => { input.checked = isDone(read(), doc); });
    input.addEventListener("change", () => {
      const data = read();
      if (input.checked) data.done[doc] = new Date().toISOString().slice(0, 10);
      else delete data.done[doc];
      write(data);
      changed();
    });
    container.hidden = false;
  });

  // -- The theme's site navigation: a mark on each tutorial the reader has done --------
  all(".learn-site-nav").forEach((nav) => {
    const doneLabel = label(nav, "learnDoneLabel");
    const items = all("li[data-learn-doc]", nav).filter((item) => item.querySelector(":scope > a"));
    onChange(() => {
      const data = read();
      items.forEach((item) => {
        const done = isDone(data, item.dataset.learnDoc);
        const link = item.querySelector(":scope > a");
        let mark = link.querySelector(":scope > .learn-nav-done");
        item.classList.toggle("learn-is-done", done);
        if (done && !mark) {
          // A check mark to see, the word for screen readers (part of the link's name).
          mark = document.createElement("span");
          mark.className = "learn-nav-done";
          const tick = document.createElement("span");
          tick.setAttribute("aria-hidden", "true");
          tick.textContent = "\u2713";
          const word = document.createElement("span");
          word.className = "learn-visually-hidden";
          word.textContent = " (" + doneLabel + ")";
          mark.append(tick, word);
          link.append(mark);
        } else if (!done && mark) {
          mark.remove();
        }
      });
    });
  });

  // -- The sidebar: "2 of 5 done" and a bar, under each section that lists tutorials --
  all(".learn-nav-progress").forEach((line) => {
    let docs = [];
    try { docs = JSON.parse(line.dataset.learnDocs); } catch (error) { /* none */ }
    docs = Array.isArray(docs) ? docs.filter(isText) : [];
    const template = label(line, "learnProgress");
    if (!docs.length || !template) return;  // nothing to count: the line stays hidden
    const bar = document.createElement("span");
    onChange(() => {
      const done = doneCount(docs);
      line.textContent = template.replace("{done}", done);
      bar.style.setProperty("--learn-done", (100 * done) / docs.length + "%");
      line.append(bar);
    });
    line.hidden = false;
  });
})();
