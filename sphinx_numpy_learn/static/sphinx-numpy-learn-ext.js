/* Catalog filters for sphinx-numpy-learn. Without this script every card is
   shown and the (hidden) filter form stays hidden. Labels come from data
   attributes written at build time, never from strings pasted into this file. */
(function () {
  "use strict";

  function setUp(catalog) {
    var form = catalog.querySelector(".learn-catalog-filters");
    var status = catalog.querySelector(".learn-catalog-status");
    if (!form || !status) return;
    var cards = Array.prototype.slice.call(catalog.querySelectorAll("li.learn-card"));

    function tagsOf(card) {
      try { return JSON.parse(card.getAttribute("data-learn-tags") || "[]"); }
      catch (error) { return []; }
    }

    function apply() {
      var levels = Array.prototype.slice
        .call(form.querySelectorAll('input[name="level"]:checked'))
        .map(function (input) { return input.value; });
      var tag = form.elements.tag ? form.elements.tag.value : "";
      var audience = form.elements.audience ? form.elements.audience.value : "";
      var shown = 0;
      cards.forEach(function (card) {
        var visible =
          (!levels.length || levels.indexOf(card.getAttribute("data-learn-level")) !== -1) &&
          (!tag || tagsOf(card).indexOf(tag) !== -1) &&
          (!audience || card.getAttribute("data-learn-audience") === audience);
        card.hidden = !visible;
        if (visible) shown += 1;
      });
      // Hide a group's title, criterion and list when none of its cards is shown.
      Array.prototype.forEach.call(catalog.querySelectorAll("ul.learn-cards"), function (list) {
        var any = list.querySelector("li.learn-card:not([hidden])") !== null;
        list.hidden = !any;
        var node = list.previousElementSibling;
        while (node && !node.matches("ul.learn-cards, form, .learn-catalog-status")) {
          node.hidden = !any;
          node = node.previousElementSibling;
        }
      });
      status.textContent = shown
        ? status.getAttribute("data-template").replace("{shown}", String(shown))
        : status.getAttribute("data-empty");
      status.hidden = false;
    }

    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".learn-catalog"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
