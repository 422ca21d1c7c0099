/* sphinx-numpy-learn: first-time setup checklists. Adds a checkbox to each step and
   remembers the ticked steps with the reader's progress (learn-progress.js,
   loaded before this file, and written as short as it is). Without storage the steps
   stay a plain list. */
(() => {
  "use strict";
  const learn = window.sphinxNumpyLearn;
  if (!learn || !learn.available) return;

  learn.all("[data-learn-checklist]").forEach(callout => {
    const id = learn.label(callout, "learnChecklist"),
      steps = learn.all("li[data-learn-step]", callout),
      keys = steps.map(step => learn.label(step, "learnStep")),
      template = learn.label(callout, "learnTemplate"),
      status = callout.querySelector(".learn-checklist-status"),
      inputs = steps.map((_, i) => {
        const input = document.createElement("input");
        input.type = "checkbox";
        input.className = "learn-step-input";
        input.setAttribute("aria-label", learn.label(callout, "learnStepLabel").replace("{n}", i + 1));
        input.onchange = () => {
          // Saved: the keys of the ticked steps, then shown again (here and in other tabs).
          const data = learn.read();
          data.checklists[id] = keys.filter((key, k) => key && inputs[k].checked);
          learn.write(data);
          learn.changed();
        };
        return input;
      });
    if (!id || !steps.length) return;  // not one the extension wrote: a plain list

    steps.forEach((step, i) => step.prepend(inputs[i]));
    callout.classList.add("learn-checklist-ready");
    learn.onChange(() => {
      const checklists = learn.read().checklists,
        saved = id in checklists ? checklists[id] : [];
      let count = 0;
      inputs.forEach((input, i) => {
        input.checked = keys[i] != "" && saved.includes(keys[i]);
        steps[i].classList.toggle("learn-is-done", input.checked);
        count += +input.checked;
      });
      if (status && template) {
        status.textContent = template.replace("{done}", count);
        status.hidden = false;
      }
    });
  });
})();
