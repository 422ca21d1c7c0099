/* sphinx-numpy-learn: first-time setup checklists. Adds a checkbox to each step and
   remembers the ticked steps with the reader's progress (sphinx-numpy-learn-progress.js,
   loaded before this file). Without storage the steps stay a plain list. */
(() => {
  "use strict";
  const learn = window.sphinxNumpyLearn;
  if (!learn || !learn.available) return;

  learn.all("[data-learn-checklist]").forEach((callout) => {
    const id = learn.label(callout, "learnChecklist");
    const steps = learn.all("li[data-learn-step]", callout);
    const keys = steps.map((step) => learn.label(step, "learnStep"));
    const template = learn.label(callout, "learnTemplate");
    const stepLabel = learn.label(callout, "learnStepLabel");
    const status = callout.querySelector(".learn-checklist-status");
    if (!id || !steps.length) return;  // not one the extension wrote: a plain list

    const show = () => {
      const checklists = learn.read().checklists;
      const saved = learn.has(checklists, id) ? checklists[id] : [];
      let count = 0;
      inputs.forEach((input, index) => {
        input.checked = keys[index] !== "" && saved.includes(keys[index]);
        steps[index].classList.toggle("learn-is-done", input.checked);
        count += input.checked;
      });
      if (status && template) {
        status.textContent = template.replace("{done}", count);
        status.hidden = false;
      }
    };
    const save = () => {
      const data = learn.read();
      data.checklists[id] = keys.filter((key, index) => key && inputs[index].checked);
      learn.write(data);
      show();
    };
    const inputs = steps.map((step, index) => {
      const input = document.createElement("input");
      input.type = "checkbox";
      input.className = "learn-step-input";
      input.setAttribute("aria-label", stepLabel.replace("{n}", index + 1));
      input.onchange = save;
      step.prepend(input);
      return input;
    });

    callout.classList.add("learn-checklist-ready");
    learn.onChange(show);
  });
})();
