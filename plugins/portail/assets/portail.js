// Portail: "Tout déplier / Tout replier" on the documentation tree.
// The tree is made of <details open> elements: without JavaScript everything is visible and
// each node still opens and closes natively; the buttons only appear when this script runs.
(function () {
  "use strict";

  function setupTreeActions() {
    document.querySelectorAll("[data-portail-tree-actions]").forEach(function (bar) {
      if (bar.dataset.portailReady) return;
      bar.dataset.portailReady = "1";
      bar.hidden = false;
      function setAll(open) {
        document.querySelectorAll("details.portail-tree__node").forEach(function (node) {
          node.open = open;
        });
      }
      bar.querySelector("[data-portail-expand]").addEventListener("click", function () { setAll(true); });
      bar.querySelector("[data-portail-collapse]").addEventListener("click", function () { setAll(false); });
    });
  }

  // Material's instant navigation replaces the page without a new DOMContentLoaded.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setupTreeActions);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupTreeActions);
  } else {
    setupTreeActions();
  }
})();
