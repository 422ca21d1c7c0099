/* sphinx-numpy-learn: knowledge checks. Puts in place the controls the build wrote
   in <template> elements (the prompt, an input in each choice's label, the "Check"
   button) and makes "Check" mark the picked choices right or wrong and show their
   explanations. Without this script the controls stay inert and unseen, and the
   answer and its explanations are in a disclosure. Labels come from the checkpoint's
   data attributes (data-learn-choose, -correct, -partly, -incorrect).

   Pages get this file minified (rjsmin), which keeps every name as written, so the
   code is written short: one declaration list per block, and short local names.
   `box` is a checkpoint; `lis` its choices (`li` one, `i` its index), `ins` their
   inputs, `whys` their explanations, `right` which are right; `out` is the feedback
   (a live region). */
(() => {
  "use strict";
  // A new element with these properties (className, textContent).
  const make = /** @param {string} tag @param {Partial<HTMLElement>} props */ (tag, props) => Object.assign(document.createElement(tag), props),
    PICKED = ["learn-picked-wrong", "learn-picked-right"];

  document.querySelectorAll("section.learn-checkpoint").forEach(box => {
    const label = /** @param {string} name */ name => box.getAttribute("data-learn-" + name) || "",
      lis = [...box.querySelectorAll("li.learn-choice")],
      out = box.querySelector(".learn-checkpoint-feedback"),
      answer = box.querySelector("details.learn-checkpoint-answer"),
      /** @type {NodeListOf<HTMLTemplateElement>} */
      controls = box.querySelectorAll("template.learn-controls");
    // Not a checkpoint the extension wrote: leave it as it is, answer and all.
    if (!lis.length || !out || !answer || controls.length != lis.length + 2) return;
    controls.forEach(t => t.replaceWith(t.content));
    // Each choice's explanation (which says whether it is right) is the one with the
    // same data-learn-choice, compared as text, never put into a selector.
    const all = [...answer.querySelectorAll("li.learn-explanation")],
      whys = lis.map(li => all.find(why => why.dataset.learnChoice == li.dataset.learnChoice)),
      right = whys.map(why => !!why && why.dataset.learnCorrect == "true"),
      ins = lis.map(li => li.querySelector("input")),
      reset = () => {
        out.textContent = "";
        lis.forEach(li => li.classList.remove(...PICKED));
      };
    ins.forEach(input => { if (input) input.onchange = reset; });
    // (The "Check" button is one of the controls counted above.)
    /** @type {HTMLElement} */ (box.querySelector(".learn-checkpoint-check")).onclick = () => {
      // Right when the picked choices are exactly the right ones; partly right when
      // one of several picked is.
      const picked = ins.map(input => !!input && input.checked),
        verdict = right.every((ok, i) => ok == picked[i])
          ? "correct"
          : box.dataset.learnCheckpoint == "multiple" && right.some((ok, i) => ok && picked[i]) ? "partly" : "incorrect";
      reset();
      if (!picked.includes(true)) {
        out.textContent = label("choose");
        return;
      }
      out.className = "learn-checkpoint-feedback learn-feedback-" + verdict;
      out.append(make("strong", { textContent: label(verdict) }));
      // Each picked choice is marked, and its explanation follows the verdict.
      lis.forEach((li, i) => {
        const why = whys[i] && whys[i].querySelector("p"),
          line = make("span", { className: "learn-feedback-line" });
        if (!picked[i]) return;
        li.classList.add(PICKED[+right[i]]);
        if (why) {
          line.append(" ", ...why.cloneNode(true).childNodes);
          out.append(line);
        }
      });
    };
    box.classList.add("learn-checkpoint-ready");
  });
})();
