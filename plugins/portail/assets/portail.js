// Portail: small enhancements over pages that work without JavaScript.
// - "Tout déplier / Tout replier" on the documentation tree (<details open> without JS);
// - FAQ product chips filter the list in place and keep the choice in the URL (?produit=…);
//   without JS they are links to the static per-product pages;
// - installation deadlines are recomputed from the ISO date in the page, so a page built
//   before a deadline still says "délai dépassé" once it is past.
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

  function setupFaqChips() {
    var chips = document.querySelector("[data-portail-faq-chips]");
    var list = document.querySelector("[data-portail-faq-list]");
    if (!chips || !list || chips.dataset.portailReady) return;
    chips.dataset.portailReady = "1";
    var status = document.querySelector("[data-portail-faq-status]");
    var links = Array.prototype.slice.call(chips.querySelectorAll("a[data-produit]"));
    var known = links.map(function (link) { return link.dataset.produit; });

    function apply(product) {
      if (known.indexOf(product) < 0) product = "";
      var shown = 0;
      list.querySelectorAll("li[data-produits]").forEach(function (item) {
        var match = !product || item.dataset.produits.split(" ").indexOf(product) >= 0;
        item.hidden = !match;
        if (match) shown += 1;
      });
      links.forEach(function (link) {
        if (link.dataset.produit === product) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      });
      if (status) {
        var name = product ? " pour " + links[known.indexOf(product)].firstChild.textContent.trim() : "";
        status.textContent = shown + " article" + (shown > 1 ? "s" : "") + " et notes de version" + name + ".";
      }
      return product;
    }

    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var product = apply(link.dataset.produit);
        var url = new URL(window.location.href);
        if (product) url.searchParams.set("produit", product);
        else url.searchParams.delete("produit");
        window.history.replaceState(null, "", url);
      });
    });
    apply(new URLSearchParams(window.location.search).get("produit") || "");
  }

  // Today's date in Europe/Paris as YYYY-MM-DD, whatever the reader's time zone.
  function parisToday() {
    var parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
    }).formatToParts(new Date());
    var get = function (type) { return parts.find(function (p) { return p.type === type; }).value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }

  function refreshDeadlines() {
    var today = parisToday();
    document.querySelectorAll("[data-portail-deadline]").forEach(function (box) {
      var passed = today > box.dataset.portailDeadline;
      box.classList.toggle("portail-deadline--passed", passed);
      box.querySelector("[data-portail-deadline-open]").hidden = passed;
      box.querySelector("[data-portail-deadline-passed]").hidden = !passed;
    });
  }

  function setup() {
    setupTreeActions();
    setupFaqChips();
    refreshDeadlines();
  }

  // Material's instant navigation replaces the page without a new DOMContentLoaded.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
