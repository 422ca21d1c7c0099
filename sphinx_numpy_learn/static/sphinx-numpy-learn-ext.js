/* sphinx-numpy-learn in the browser: catalog filters, knowledge checks,
   checklists and reader progress. Without this script every card is shown, the
   checkpoint's answer is in a disclosure, and the controls that need it (they
   start hidden) stay hidden. Labels come from data attributes written at build
   time, never from strings pasted into this file. */
(function () {
  "use strict";

  function setUp(catalog) {
    var form = catalog.querySelector(".learn-catalog-filters");
    var status = catalog.querySelector(".learn-catalog-status");
    if (!form || !status) return;
    var cards = Array.prototype.slice.call(catalog.querySelectorAll("li.learn-card"));

    function tagsOf(card) {
      try { return JSON.parse(card.getAttribute("data-learn-tags") || "[]"); }
      catch (error) { return []; }
    }

    function apply() {
      var levels = Array.prototype.slice
        .call(form.querySelectorAll('input[name="level"]:checked'))
        .map(function (input) { return input.value; });
      var tag = form.elements.tag ? form.elements.tag.value : "";
      var audience = form.elements.audience ? form.elements.audience.value : "";
      var shown = 0;
      cards.forEach(function (card) {
        var visible =
          (!levels.length || levels.indexOf(card.getAttribute("data-learn-level")) !== -1) &&
          (!tag || tagsOf(card).indexOf(tag) !== -1) &&
          (!audience || card.getAttribute("data-learn-audience") === audience);
        card.hidden = !visible;
        if (visible) shown += 1;
      });
      // Hide a group's title, criterion and list when none of its cards is shown.
      Array.prototype.forEach.call(catalog.querySelectorAll("ul.learn-cards"), function (list) {
        var any = list.querySelector("li.learn-card:not([hidden])") !== null;
        list.hidden = !any;
        var node = list.previousElementSibling;
        while (node && !node.matches("ul.learn-cards, form, .learn-catalog-status")) {
          node.hidden = !any;
          node = node.previousElementSibling;
        }
      });
      status.textContent = shown
        ? status.getAttribute("data-template").replace("{shown}", String(shown))
        : status.getAttribute("data-empty");
      status.hidden = false;
    }

    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
  }

  // -- Saved state: one versioned localStorage key per site -----------------------
  // Nothing leaves the browser. If storage is blocked, the controls that need it
  // stay hidden (they start with the hidden attribute).
  var script = document.currentScript;
  var store = (function () {
    var version = (script && script.getAttribute("data-learn-storage")) || "1";
    var project = (script && script.getAttribute("data-learn-project")) || "";
    var root = script ? new URL("..", script.src).pathname : "/";
    var key = "sphinx-numpy-learn:v" + version + ":" + root + ":" + project;
    var storage = null;
    try {
      storage = window.localStorage;
      storage.setItem(key + ":probe", "1");
      storage.removeItem(key + ":probe");
    } catch (error) {
      storage = null;
    }

    function read() {
      var empty = { done: {}, checklists: {} };
      if (!storage) return empty;
      try {
        var data = JSON.parse(storage.getItem(key) || "null");
        if (!data || typeof data !== "object") return empty;
        data.done = data.done && typeof data.done === "object" ? data.done : {};
        data.checklists = data.checklists && typeof data.checklists === "object" ? data.checklists : {};
        return data;
      } catch (error) {
        return empty;
      }
    }

    function write(data) {
      if (!storage) return;
      try { storage.setItem(key, JSON.stringify(data)); } catch (error) { /* full: keep going */ }
    }

    return { available: storage !== null, read: read, write: write, key: key };
  })();

  var listeners = [];
  function onProgressChange(callback) { listeners.push(callback); callback(); }
  function progressChanged() { listeners.forEach(function (callback) { callback(); }); }
  window.addEventListener("storage", function (event) {
    if (event.key === store.key) progressChanged();  // another tab changed it
  });

  function setDone(doc, done) {
    var data = store.read();
    if (done) data.done[doc] = new Date().toISOString().slice(0, 10);
    else delete data.done[doc];
    store.write(data);
    progressChanged();
  }

  // -- "I have finished this tutorial" ---------------------------------------------
  function setUpDoneToggle(container) {
    var input = container.querySelector("input.learn-done-input");
    if (!input || !store.available) return;
    var doc = input.getAttribute("data-learn-doc");
    onProgressChange(function () { input.checked = Boolean(store.read().done[doc]); });
    input.addEventListener("change", function () { setDone(doc, input.checked); });
    container.hidden = false;
  }

  // -- "3 of 5 done" on catalogs and learning paths ----------------------------------
  function setUpProgressSummary(container, items, place) {
    if (!store.available || !container.hasAttribute("data-learn-progress")) return;
    var summary = document.createElement("p");
    summary.className = "learn-progress-summary";
    var count = document.createElement("span");
    count.setAttribute("role", "status");
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "learn-progress-clear";
    clear.textContent = container.getAttribute("data-learn-clear");
    clear.addEventListener("click", function () {
      if (!window.confirm(container.getAttribute("data-learn-clear-confirm"))) return;
      var data = store.read();
      data.done = {};
      store.write(data);
      progressChanged();
    });
    summary.appendChild(count);
    summary.appendChild(document.createTextNode(" "));
    summary.appendChild(clear);
    place(summary);
    var doneLabel = container.getAttribute("data-learn-done-label");

    onProgressChange(function () {
      var done = store.read().done;
      var finished = 0;
      items.forEach(function (item) {
        var isDone = Boolean(done[item.getAttribute("data-learn-doc")]);
        if (isDone) finished += 1;
        item.classList.toggle("learn-is-done", isDone);
        var mark = item.querySelector(".learn-done-mark");
        if (isDone && !mark) {
          mark = document.createElement("span");
          mark.className = "learn-done-mark";
          mark.textContent = doneLabel;
          var facts = item.querySelector(".learn-card-facts") || item.querySelector("p");
          (facts || item).appendChild(mark);
        } else if (!isDone && mark) {
          mark.parentNode.removeChild(mark);
        }
      });
      count.textContent = container.getAttribute("data-learn-progress").replace("{done}", String(finished));
      clear.hidden = finished === 0;
    });
  }

  // -- First-time setup checklists ---------------------------------------------------
  function setUpChecklist(callout) {
    if (!store.available) return;
    var id = callout.getAttribute("data-learn-checklist");
    var steps = Array.prototype.slice.call(callout.querySelectorAll("li[data-learn-step]"));
    var status = callout.querySelector(".learn-checklist-status");
    var labelTemplate = callout.getAttribute("data-learn-step-label");
    var inputs = steps.map(function (step, index) {
      var input = document.createElement("input");
      input.type = "checkbox";
      input.className = "learn-step-input";
      input.setAttribute("aria-label", labelTemplate.replace("{n}", String(index + 1)));
      step.insertBefore(input, step.firstChild);
      input.addEventListener("change", save);
      return input;
    });

    function ticked() { return (store.read().checklists[id] || []); }

    function show() {
      var saved = ticked();
      var count = 0;
      inputs.forEach(function (input, index) {
        input.checked = saved.indexOf(steps[index].getAttribute("data-learn-step")) !== -1;
        steps[index].classList.toggle("learn-is-done", input.checked);
        if (input.checked) count += 1;
      });
      if (status) {
        status.textContent = callout.getAttribute("data-learn-template").replace("{done}", String(count));
        status.hidden = false;
      }
    }

    function save() {
      var data = store.read();
      data.checklists[id] = steps
        .filter(function (step, index) { return inputs[index].checked; })
        .map(function (step) { return step.getAttribute("data-learn-step"); });
      store.write(data);
      show();
    }

    callout.classList.add("learn-checklist-ready");
    onProgressChange(show);
  }

  // -- Knowledge checks ----------------------------------------------------------------
  function setUpCheckpoint(section) {
    var multiple = section.getAttribute("data-learn-checkpoint") === "multiple";
    var choices = Array.prototype.slice.call(section.querySelectorAll("li.learn-choice"));
    var feedback = section.querySelector(".learn-checkpoint-feedback");
    var answer = section.querySelector("details.learn-checkpoint-answer");
    var prompt = section.querySelector(".learn-checkpoint-prompt");
    var group = section.id + "-choice";
    var correct = [];
    var inputs = choices.map(function (choice, index) {
      var input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = group;
      input.id = group + "-" + index;
      input.value = choice.getAttribute("data-learn-choice");
      var text = choice.querySelector(".learn-choice-text");
      var label = document.createElement("label");
      label.htmlFor = input.id;
      while (text.firstChild) label.appendChild(text.firstChild);
      text.appendChild(label);
      text.insertBefore(input, label);
      input.addEventListener("change", function () { feedback.textContent = ""; clearMarks(); });
      return input;
    });
    // Which choices are right is read from the answer's explanations.
    Array.prototype.forEach.call(answer.querySelectorAll("li.learn-explanation"), function (item) {
      if (item.getAttribute("data-learn-correct") === "true") {
        correct.push(item.getAttribute("data-learn-choice"));
      }
    });

    function clearMarks() {
      choices.forEach(function (choice) { choice.classList.remove("learn-picked-right", "learn-picked-wrong"); });
    }

    var button = document.createElement("button");
    button.type = "button";
    button.className = "learn-checkpoint-check";
    button.textContent = section.getAttribute("data-learn-check");
    button.addEventListener("click", function () {
      var picked = inputs.filter(function (input) { return input.checked; })
        .map(function (input) { return input.value; });
      clearMarks();
      feedback.textContent = "";
      if (!picked.length) {
        feedback.textContent = section.getAttribute("data-learn-choose");
        return;
      }
      var right = picked.filter(function (value) { return correct.indexOf(value) !== -1; });
      var verdict;
      if (right.length === picked.length && right.length === correct.length) verdict = "correct";
      else if (multiple && right.length) verdict = "partly";
      else verdict = "incorrect";
      feedback.className = "learn-checkpoint-feedback learn-feedback-" + verdict;
      var heading = document.createElement("strong");
      heading.textContent = section.getAttribute("data-learn-" + verdict);
      feedback.appendChild(heading);
      picked.forEach(function (value) {
        var choice = choices[Number(value)];
        choice.classList.add(correct.indexOf(value) !== -1 ? "learn-picked-right" : "learn-picked-wrong");
        var explanation = answer.querySelector('li.learn-explanation[data-learn-choice="' + value + '"] p');
        if (explanation) {
          var line = document.createElement("span");
          line.className = "learn-feedback-line";
          line.appendChild(document.createTextNode(" "));
          Array.prototype.forEach.call(explanation.childNodes, function (child) {
            line.appendChild(child.cloneNode(true));
          });
          feedback.appendChild(line);
        }
      });
    });
    feedback.parentNode.insertBefore(button, feedback);
    if (prompt) prompt.hidden = false;
    section.classList.add("learn-checkpoint-ready");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".learn-catalog"), function (catalog) {
      setUp(catalog);
      var cards = Array.prototype.slice.call(catalog.querySelectorAll("li.learn-card"));
      if (!cards.length) return;
      setUpProgressSummary(catalog, cards, function (summary) {
        // After the filters and their status line, before the first group.
        var after = catalog.querySelector(".learn-catalog-status");
        catalog.insertBefore(summary, after ? after.nextSibling : catalog.firstChild);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("ol.learn-path-steps"), function (list) {
      var steps = Array.prototype.slice.call(list.querySelectorAll(":scope > li[data-learn-doc]"));
      setUpProgressSummary(list, steps, function (summary) {
        list.parentNode.insertBefore(summary, list.nextSibling);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".learn-done"), setUpDoneToggle);
    Array.prototype.forEach.call(document.querySelectorAll("[data-learn-checklist]"), setUpChecklist);
    Array.prototype.forEach.call(document.querySelectorAll("section.learn-checkpoint"), setUpCheckpoint);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
