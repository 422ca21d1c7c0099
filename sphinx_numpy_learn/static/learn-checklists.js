/* sphinx-numpy-learn: first-time setup checklists. Adds a checkbox to each step and
   remembers the ticked steps with the reader's progress (learn-progress.js,
   loaded before this file, and written as short as it is). Without storage the steps
   stay a plain list. */
(() => {
  // L: what learn-progress.js exposes. For each checklist (b): its id, its steps (S),
  // their keys (K), the status line's label (tpl) and the status line (st), the
  // checkboxes (I, one made for each step); d: read()'s data; n: how many are ticked.
  const L = window.sphinxNumpyLearn;
  if (!L || !L.available) return;

  L.all("[data-learn-checklist]").forEach(b => {
    const id = L.label(b, "learnChecklist"),
      S = L.all("li[data-learn-step]", b),
      K = S.map(s => L.label(s, "learnStep")),
      tpl = L.label(b, "learnTemplate"),
      st = b.querySelector(".learn-checklist-status"),
      I = S.map((_, i) => {
        const input = document.createElement("input");
        input.type = "checkbox";
        input.className = "learn-step-input";
        input.setAttribute("aria-label", L.label(b, "learnStepLabel").replace("{n}", i + 1));
        input.onchange = () => {
          // Saved: the keys of the ticked steps, then shown again (here and in other tabs).
          const d = L.read();
          d.checklists[id] = K.filter((key, k) => key && I[k].checked);
          L.write(d);
          L.changed()
        };
        return input
      });
    if (!id || !S.length) return;  // not one the extension wrote: a plain list

    S.forEach((s, i) => s.prepend(I[i]));
    b.classList.add("learn-checklist-ready");
    L.onChange(() => {
      const C = L.read().checklists,
        saved = id in C ? C[id] : [];
      let n = 0;
      I.forEach((input, i) => {
        input.checked = K[i] != "" && saved.includes(K[i]);
        S[i].classList.toggle("learn-is-done", input.checked);
        n += +input.checked
      });
      if (st && tpl) {
        st.textContent = tpl.replace("{done}", n);
        st.hidden = false
      }
    })
  })
})();
