// Portail: small enhancements over pages that work without JavaScript.
// - "Tout déplier / Tout replier" on the documentation tree (<details open> without JS);
// - product chips (FAQ, live information) filter in place and keep the choice in the URL
//   (?produit=…) when the page holds the whole list; on a paginated list, and without JS,
//   they are links to the static per-product pages;
// - live information posts change label and section (en direct / historique) on time;
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

  // Product chips (FAQ, live information): when the page holds the whole list
  // (data-portail-chips="filter"), filter the items carrying data-produits in place and keep
  // the choice in the URL. An item with no product concerns every product. When the list is
  // paginated ("links"), the page holds only part of it: the chips stay links to the
  // per-product pages, and a ?produit= address (a shared link) leads to that page.
  function setupChips() {
    var chips = document.querySelector("[data-portail-chips]");
    if (!chips || chips.dataset.portailReady) return;
    chips.dataset.portailReady = "1";
    var links = Array.prototype.slice.call(chips.querySelectorAll("a[data-produit]"));
    var known = links.map(function (link) { return link.dataset.produit; });
    var asked = new URLSearchParams(window.location.search).get("produit") || "";
    if (chips.dataset.portailChips === "links") {
      if (asked && known.indexOf(asked) > 0) window.location.replace(links[known.indexOf(asked)].href);
      return;
    }
    var items = Array.prototype.slice.call(document.querySelectorAll("li[data-produits]"));
    var status = document.querySelector("[data-portail-filter-status]");
    var noun = chips.dataset.noun || "éléments";

    function apply(product) {
      if (known.indexOf(product) < 0) product = "";
      var shown = 0;
      items.forEach(function (item) {
        var products = item.dataset.produits ? item.dataset.produits.split(" ") : [];
        var match = !product || products.length === 0 || products.indexOf(product) >= 0;
        item.classList.toggle("portail-filtered-out", !match);
        item.hidden = !match;
        if (match) shown += 1;
      });
      links.forEach(function (link) {
        link.setAttribute("aria-pressed", link.dataset.produit === product ? "true" : "false");
        link.removeAttribute("aria-current");
      });
      if (status) {
        var name = product ? " pour " + links[known.indexOf(product)].firstChild.textContent.trim() : "";
        status.textContent = shown + " " + noun + name + ".";
      }
      return product;
    }

    // Filtering in place, the chips are toggle buttons (aria-pressed) for assistive
    // technologies; without JavaScript they stay links to the per-product pages. A button is
    // pressed with Space too. Only attributes change: the pressed chip keeps the focus.
    links.forEach(function (link) {
      link.setAttribute("role", "button");
      link.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); link.click(); }
      });
      link.addEventListener("click", function (event) {
        event.preventDefault();
        link.focus();
        var product = apply(link.dataset.produit);
        var url = new URL(window.location.href);
        if (product) url.searchParams.set("produit", product);
        else url.searchParams.delete("produit");
        window.history.replaceState(null, "", url);
        document.dispatchEvent(new CustomEvent("portail:filter"));
        refreshPosts();
      });
    });
    apply(asked);
  }

  // Live information: the same rules as portail/information.py, from the ISO times in the
  // page. A post changes label, and moves between "en direct" and "historique", on time.
  var LIVE_STATES = ["upcoming", "ongoing", "open", "active"];

  function postState(post, now) {
    var t = function (name) {
      var value = post.dataset["time" + name.charAt(0).toUpperCase() + name.slice(1)];
      return value ? new Date(value) : null;
    };
    var kind = post.dataset.kind;
    if (kind === "intervention") {
      var start = t("start"), end = t("end");
      if (start && now < start) return "upcoming";
      if (!end || now < end) return "ongoing";
      return "done";
    }
    if (kind === "incident") {
      var resolved = t("resolved");
      return resolved && now >= resolved ? "resolved" : "open";
    }
    var expires = t("expires");
    return !expires || now < expires ? "active" : "expired";
  }

  function sortPosts(list, pinnedFirst) {
    var current = Array.prototype.slice.call(list.children);
    var sorted = current.slice().sort(function (a, b) {
      if (pinnedFirst && a.dataset.pinned !== b.dataset.pinned) return a.dataset.pinned === "true" ? -1 : 1;
      return new Date(b.dataset.published) - new Date(a.dataset.published);
    });
    // Moving a node loses the keyboard focus inside it: only reorder when the order changed.
    if (sorted.every(function (post, i) { return post === current[i]; })) return;
    sorted.forEach(function (post) { list.appendChild(post); });
  }

  function visibleCount(list) {
    return Array.prototype.filter.call(list.children, function (item) { return !item.hidden; }).length;
  }

  function refreshPosts() {
    var now = new Date();
    var liveList = document.querySelector("[data-portail-live-list]");
    var historyList = document.querySelector("[data-portail-history-list]");
    document.querySelectorAll("[data-portail-post]").forEach(function (post) {
      var state = postState(post, now);
      var label = post.querySelector("[data-portail-post-label]");
      var text = post.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)];
      if (label && text) {
        label.textContent = text;
        label.className = label.className.replace(/portail-state--\w+/, "portail-state--" + state);
      }
      if (liveList && historyList && post.parentElement) {
        var live = post.dataset.pinned === "true" || LIVE_STATES.indexOf(state) >= 0;
        var target = live ? liveList : historyList;
        if (post.parentElement !== target) target.appendChild(post);
      }
    });
    if (liveList && historyList) {
      sortPosts(liveList, true);
      sortPosts(historyList, false);
      var emptyLive = document.querySelector("[data-portail-empty-live]");
      var emptyHistory = document.querySelector("[data-portail-empty-history]");
      if (emptyLive) emptyLive.hidden = visibleCount(liveList) > 0;
      if (emptyHistory) emptyHistory.hidden = visibleCount(historyList) > 0;
    }
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

  // A table wider than a phone's screen scrolls inside its box (RGAA 10.11): the box that scrolls
  // takes a Tab stop, so that a keyboard can scroll it too; a box that fits gets none.
  function markScrollingTables() {
    document.querySelectorAll(".md-typeset table, .md-typeset .md-typeset__scrollwrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.portailScrolls = "";
        if (box.tagName !== "TABLE") {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", "Tableau, défilement horizontal");
        }
      } else if (!scrolls && box.hasAttribute("data-portail-scrolls")) {
        ["tabindex", "role", "aria-label", "data-portail-scrolls"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollingTables, 200);
  });

  function setup() {
    markScrollingTables();
    setupTreeActions();
    setupChips();
    refreshDeadlines();
    refreshPosts();
  }

  // A page left open keeps reading right: states are recomputed every minute.
  window.setInterval(function () { refreshDeadlines(); refreshPosts(); }, 60000);

  // Material's instant navigation replaces the page without a new DOMContentLoaded.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
