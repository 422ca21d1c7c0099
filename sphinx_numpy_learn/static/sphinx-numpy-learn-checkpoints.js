/* sphinx-numpy-learn: knowledge checks. Adds an input to each choice and a "Check"
   button that marks the picked choices right or wrong and shows their explanations.
   Without this script the answer and its explanations are in a disclosure.
   Labels come from the checkpoint's data attributes (data-learn-check, -choose,
   -correct, -partly, -incorrect), written at build time. */
(() => {
  "use strict";
  const all = (selector, within) => [...within.querySelectorAll(selector)];
  const make = (tag, className) => {
    const element = document.createElement(tag);
    if (className) element.className = className;
    return element;
  };

  all("section.learn-checkpoint", document).forEach((box) => {
    const multiple = box.dataset.learnCheckpoint === "multiple";
    const choices = all("li.learn-choice", box);
    const feedback = box.querySelector(".learn-checkpoint-feedback");
    const answer = box.querySelector("details.learn-checkpoint-answer");
    const prompt = box.querySelector(".learn-checkpoint-prompt");
    // Which choices are right is read from the answer's explanations.
    const correct = all('li.learn-explanation[data-learn-correct="true"]', answer).map(
      (li) => li.dataset.learnChoice
    );
    const reset = () => {
      feedback.textContent = "";
      choices.forEach((li) => li.classList.remove("learn-picked-right", "learn-picked-wrong"));
    };

    // Each choice's text moves into a <label> after its new input.
    const inputs = choices.map((li, index) => {
      const input = make("input");
      const label = make("label");
      const text = li.querySelector(".learn-choice-text");
      input.type = multiple ? "checkbox" : "radio";
      input.name = box.id + "-choice";
      input.id = label.htmlFor = input.name + "-" + index;
      input.value = li.dataset.learnChoice;
      input.onchange = reset;
      label.append(...text.childNodes);
      text.append(input, label);
      return input;
    });

    const button = make("button", "learn-checkpoint-check");
    button.type = "button";
    button.textContent = box.dataset.learnCheck;
    button.onclick = () => {
      const picked = inputs.filter((input) => input.checked).map((input) => input.value);
      reset();
      if (!picked.length) {
        feedback.textContent = box.dataset.learnChoose;
        return;
      }
      const right = picked.filter((value) => correct.includes(value)).length;
      const verdict =
        right === picked.length && right === correct.length
          ? "correct"
          : multiple && right ? "partly" : "incorrect";
      const heading = make("strong");
      heading.textContent = box.getAttribute("data-learn-" + verdict);
      feedback.className = "learn-checkpoint-feedback learn-feedback-" + verdict;
      feedback.append(heading);
      // Each picked choice is marked, and its explanation follows the verdict.
      picked.forEach((value) => {
        const why = answer.querySelector('li.learn-explanation[data-learn-choice="' + value + '"] p');
        choices[value].classList.add(correct.includes(value) ? "learn-picked-right" : "learn-picked-wrong");
        if (why) {
          const line = make("span", "learn-feedback-line");
          line.append(" ", ...[...why.childNodes].map((node) => node.cloneNode(true)));
          feedback.append(line);
        }
      });
    };
    feedback.before(button);
    if (prompt) prompt.hidden = false;
    box.classList.add("learn-checkpoint-ready");
  });
})();
