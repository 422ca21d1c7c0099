/* sphinx-numpy-learn: first-time setup checklists. Adds a checkbox to each step and
   remembers the ticked steps with the reader's progress (sphinx-numpy-learn-progress.js,
   loaded before this file). Without storage the steps stay a plain list. */
(() => {
  "use strict";
  const learn = window.sphinxNumpyLearn;
  if (!learn || !learn.available) return;

  learn.all("[data-learn-checklist]").forEach((callout) => {
    const labels = callout.dataset;
    const id = labels.learnChecklist;
    const steps = learn.all("li[data-learn-step]", callout);
    const keys = steps.map((step) => step.dataset.learnStep);
    const status = callout.querySelector(".learn-checklist-status");

    const show = () => {
      const saved = learn.read().checklists[id] || [];
      let count = 0;
      inputs.forEach((input, index) => {
        input.checked = saved.includes(keys[index]);
        steps[index].classList.toggle("learn-is-done", input.checked);
        count += input.checked;
      });
      if (status) {
        status.textContent = labels.learnTemplate.replace("{done}", count);
        status.hidden = false;
      }
    };
    const save = () => {
      const data = learn.read();
      data.checklists[id] = keys.filter((key, index) => inputs[index].checked);
      learn.write(data);
      show();
    };
    const inputs = steps.map((step, index) => {
      const input = document.createElement("input");
      input.type = "checkbox";
      input.className = "learn-step-input";
      input.setAttribute("aria-label", labels.learnStepLabel.replace("{n}", index + 1));
      input.onchange = save;
      step.prepend(input);
      return input;
    });

    callout.classList.add("learn-checklist-ready");
    learn.onChange(show);
  });
})();
