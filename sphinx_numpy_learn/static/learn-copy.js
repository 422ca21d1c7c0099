/* sphinx-numpy-learn: a "Copy" button on every code block (code cells' inputs,
   literal, doctest and console blocks; never a cell's output). Our own, not
   sphinx-copybutton: that one shows its buttons on hover only, says nothing to screen
   readers and ships clipboard.js (9 KB). This file and its stylesheet must stay under
   900 bytes as served, and rjsmin keeps names as written, so names are one letter:
   `D` the document, `d` the labels, `p` the prompt lines, `e` a code block, `b` its
   button, `l` sets its label, `t` the text copied, `q` its prompt lines, `a` a text
   area. A block, not a function, keeps the names to this file.

   The buttons are made here, so a page without JavaScript shows none. A block with
   prompts (">>> ", "... ", "In [1]: ", "   ...: ", "$ ") gives only its prompt
   lines, without the prompts: what a session printed is not code to paste. The
   labels, translated at build time, are data attributes on this script's tag. Each
   button is a polite live region: its "Copied" is said to screen readers too. */
{
  const D = document,
    d = /** @type {Record<string, string>} */ (/** @type {HTMLScriptElement} */ (D.currentScript).dataset),
    p = /^(>>> |\.\.\. |In \[\d*\]: | +\.\.\.: |\$ )(.*)/gm;
  // Code blocks, but not a notebook cell's output (<div class="output ..."><div class="highlight">).
  // The button goes before the block (<div class="highlight">), so the block's text is the code's.
  for (const e of D.querySelectorAll(":not(.output)>div.highlight")) {
    const b = D.createElement("button"),
      l = /** @param {string} n */ n => b.textContent = d["learn" + n];
    b.className = "learn-copy";
    b.ariaLive = "polite";
    l("Copy");
    b.onclick = async () => {
      let t = e.innerText.trimEnd(), q = [...t.matchAll(p)].map(x => x[2]);
      q.length && (t = q.join("\n"));
      l("Copied");
      try { await navigator.clipboard.writeText(t) } catch {
        // No clipboard API (a page served over plain HTTP, an old browser): the old way.
        const a = D.createElement("textarea");
        a.value = t;
        b.after(a);
        a.select();
        D.execCommand("copy") || l("Failed");
        a.remove();
        b.focus()
      }
      setTimeout(l, 2e3, "Copy")
    };
    e.before(b)
  }
}
