/* sphinx-numpy-learn: knowledge checks. Puts in place the controls the build wrote
   in <template> elements (the prompt, an input in each choice's label, the "Check"
   button) and makes "Check" mark the picked choices right or wrong and show their
   explanations. Without this script the controls stay inert and unseen, and the
   answer and its explanations are in a disclosure. Labels come from the checkpoint's
   data attributes (data-learn-choose, -correct, -partly, -incorrect).

   Pages get this file minified (rjsmin), which keeps every name as written, so the
   code is written short: one declaration list per block, one-letter local names,
   and no semicolon before a closing brace. `b` is a checkpoint; `L` its choices (`li`
   one, `i` its index), `I` their inputs, `W` their explanations, `R` which are right,
   `P` which are picked; `o` is the feedback (a live region); `v` is the verdict
   ("choose" when nothing is picked), whose label `t` is the checkpoint's
   data-learn-{v}; `x` clears the marks. `M` makes an element with these properties
   (className, textContent); `K` are the marks' classes, wrong then right. */
(() => {
  const M = /** @param {string} tag @param {Partial<HTMLElement>} props */ (tag, props) => Object.assign(document.createElement(tag), props),
    K = ["learn-picked-wrong", "learn-picked-right"];

  document.querySelectorAll("section.learn-checkpoint").forEach(b => {
    const L = [...b.querySelectorAll("li.learn-choice")],
      o = b.querySelector(".learn-checkpoint-feedback"),
      a = b.querySelector("details.learn-checkpoint-answer"),
      /** @type {NodeListOf<HTMLTemplateElement>} */
      c = b.querySelectorAll("template.learn-controls");
    // Not a checkpoint the extension wrote: leave it as it is, answer and all.
    if (!L.length || !o || !a || c.length != L.length + 2) return;
    c.forEach(t => t.replaceWith(t.content));
    // Each choice's explanation (which says whether it is right) is the one with the
    // same data-learn-choice, compared as text, never put into a selector.
    const E = [...a.querySelectorAll("li.learn-explanation")],
      W = L.map(li => E.find(w => w.dataset.learnChoice == li.dataset.learnChoice)),
      R = W.map(w => !!w && w.dataset.learnCorrect == "true"),
      I = L.map(li => li.querySelector("input")),
      x = () => {
        o.textContent = "";
        L.forEach(li => li.classList.remove(...K))
      };
    I.forEach(i => { if (i) i.onchange = x });
    // (The "Check" button is one of the controls counted above.)
    /** @type {HTMLElement} */ (b.querySelector(".learn-checkpoint-check")).onclick = () => {
      // Right when the picked choices are exactly the right ones; partly right when
      // one of several picked is.
      const P = I.map(i => !!i && i.checked),
        v = !P.includes(true) ? "choose"
          : R.every((r, i) => r == P[i]) ? "correct"
          : b.dataset.learnCheckpoint == "multiple" && R.some((r, i) => r && P[i]) ? "partly" : "incorrect",
        t = b.getAttribute("data-learn-" + v) || "";
      x();
      if (v == "choose") {
        o.textContent = t;
        return
      }
      o.className = "learn-checkpoint-feedback learn-feedback-" + v;
      o.append(M("strong", { textContent: t }));
      // Each picked choice is marked, and its explanation follows the verdict.
      L.forEach((li, i) => {
        const w = W[i] && W[i].querySelector("p");
        if (!P[i]) return;
        li.classList.add(K[+R[i]]);
        if (w) o.appendChild(M("span", { className: "learn-feedback-line" })).append(" ", ...w.cloneNode(true).childNodes)
      })
    };
    b.classList.add("learn-checkpoint-ready")
  })
})();
