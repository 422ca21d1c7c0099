/* sphinx-numpy-learn: sphinx-design's tabs. pydata-sphinx-theme gives a code block that
   scrolls sideways a tab stop (WCAG 2.1.1: a scrollable region must be reachable by
   keyboard), but only to those shown when the page loads: a block in a closed tab has
   no width then (and gets tabindex="-1"). So when the page has loaded, and when a tab opens (its radio input
   changes), every code block in a tab that now scrolls gets one too. */
{
  const f = () => {
    for (const p of document.querySelectorAll(".sd-tab-content pre"))
      if (p.scrollWidth > p.clientWidth && p.tabIndex < 0) p.tabIndex = 0;
  };
  addEventListener("load", f);
  addEventListener("change", f);
}
