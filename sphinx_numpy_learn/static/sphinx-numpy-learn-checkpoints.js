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
  const label = (element, name) => element.getAttribute("data-learn-" + name) || "";

  all("section.learn-checkpoint", document).forEach((box, boxIndex) => {
    const multiple = box.dataset.learnCheckpoint === "multiple";
    const choices = all("li.learn-choice", box);
    const feedback = box.querySelector(".learn-checkpoint-feedback");
    const answer = box.querySelector("details.learn-checkpoint-answer");
    const prompt = box.querySelector(".learn-checkpoint-prompt");
    const texts = choices.map((li) => li.querySelector(".learn-choice-text"));
    // Not a checkpoint the extension wrote: leave it as it is, answer and all.
    if (!choices.length || !feedback || !answer || texts.includes(null)) return;
    // Each choice's explanation (which says whether it is right) is the one with the
    // same data-learn-choice, compared as text, never put into a selector.
    const explanations = all("li.learn-explanation", answer);
    const whys = choices.map((li) =>
      explanations.find((why) => why.dataset.learnChoice === li.dataset.learnChoice)
    );
    const right = whys.map((why) => !!why && why.dataset.learnCorrect === "true");
    const rightCount = right.filter(Boolean).length;
    const reset = () => {
      feedback.textContent = "";
      choices.forEach((li) => li.classList.remove("learn-picked-right", "learn-picked-wrong"));
    };

    // Each choice's text moves into a <label> after its new input. The group's name
    // and the inputs' ids come from the checkpoint's id, unique on the page even when
    // it holds several documents (singlehtml).
    const name = (box.id || "learn-checkpoint-" + boxIndex) + "-choice";
    const inputs = choices.map((li, index) => {
      const input = make("input");
      const text = make("label");
      input.type = multiple ? "checkbox" : "radio";
      input.name = name;
      input.id = text.htmlFor = name + "-" + index;
      input.value = String(index);
      input.onchange = reset;
      text.append(...texts[index].childNodes);
      texts[index].append(input, text);
      return input;
    });

    const button = make("button", "learn-checkpoint-check");
    button.type = "button";
    button.textContent = label(box, "check");
    button.onclick = () => {
      const picked = inputs.flatMap((input, index) => (input.checked ? [index] : []));
      reset();
      if (!picked.length) {
        feedback.textContent = label(box, "choose");
        return;
      }
      const pickedRight = picked.filter((index) => right[index]).length;
      const verdict =
        pickedRight === picked.length && pickedRight === rightCount
          ? "correct"
          : multiple && pickedRight ? "partly" : "incorrect";
      const heading = make("strong");
      heading.textContent = label(box, verdict);
      feedback.className = "learn-checkpoint-feedback learn-feedback-" + verdict;
      feedback.append(heading);
      // Each picked choice is marked, and its explanation follows the verdict.
      picked.forEach((index) => {
        const why = whys[index] && whys[index].querySelector("p");
        choices[index].classList.add(right[index] ? "learn-picked-right" : "learn-picked-wrong");
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
