// Portail: browser search over the Pagefind index (French stemming, accents folded, filters
// by product, type and version line). Shared by the search page, the header box, the FAQ's
// keyword box and the ticket-deflection field. A query never reaches the page as HTML: it is
// only ever written with textContent; Pagefind's excerpts are rebuilt from text nodes and <mark>.
(function () {
  "use strict";

  var MAX_QUERY = 200;
  var script = document.currentScript;
  var BASE = script && script.src ? script.src.replace(/assets\/portail\/portail-search\.js.*$/, "") : "/";
  var pagefindPromise = null;
  var productsPromise = null;

  function pagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(BASE + "pagefind/pagefind.js").then(function (pf) {
        // Loading the filters up front makes every search return its counts per filter.
        return pf.options({ baseUrl: new URL(BASE).pathname })
          .then(function () { return pf.filters(); })
          .then(function () { return pf; });
      });
    }
    return pagefindPromise;
  }

  function products() {
    if (!productsPromise) {
      productsPromise = fetch(BASE + "portail-produits.json").then(function (r) { return r.json(); })
        .catch(function () { return []; });
    }
    return productsPromise;
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // "s2low certificat", "SL certificat", "certificat s²low" -> term "certificat", product S²LOW.
  function splitProduct(query, catalogue) {
    var words = query.split(/\s+/).filter(Boolean);
    var found = null;
    var rest = words.filter(function (word) {
      if (found) return true;
      var folded = fold(word);
      var product = catalogue.find(function (p) {
        return p.aliases.some(function (alias) { return fold(alias) === folded; });
      });
      if (product) { found = product; return false; }
      return true;
    });
    return { term: rest.join(" "), product: found };
  }

  // Search; options: produit (display name or slug), type (a type or a list of types),
  // version, limit. Resolves to {term, product, total, filters, results: [{url, title, type,
  // produits, excerpt}]}, excerpt being a list of {text, mark} pieces.
  function search(query, options) {
    options = options || {};
    var text = (query || "").trim().slice(0, MAX_QUERY);
    return Promise.all([pagefind(), products()]).then(function (loaded) {
      var pf = loaded[0];
      var catalogue = loaded[1];
      var split = options.produit ? { term: text, product: null } : splitProduct(text, catalogue);
      var filters = {};
      var wanted = options.produit || (split.product && split.product.name);
      if (wanted) {
        var bySlug = catalogue.find(function (p) { return p.slug === wanted; });
        filters.produit = bySlug ? bySlug.name : wanted;
      }
      if (options.type) filters.type = Array.isArray(options.type) ? { any: options.type } : options.type;
      if (options.version) filters.version = options.version;
      var term = split.term || null;
      if (!term && !split.product) return { term: "", product: null, total: 0, filters: {}, results: [] };
      var limit = options.limit || 10;
      return pf.search(term, { filters: filters }).then(function (found) {
        var words = term ? significant(term) : [];
        if (found.results.length >= limit || words.length < 2) return [found, found.results];
        // Pagefind wants every word: a question typed in full often matches no page. Then
        // each significant word is searched alone and the rankings are fused (reciprocal rank),
        // after the pages that hold every word.
        return Promise.all(words.map(function (word) { return pf.search(word, { filters: filters }); }))
          .then(function (parts) { return [found.results.length ? found : widest(parts), fuse(found.results, parts)]; });
      }).then(function (both) {
        var found = both[0];
        var results = both[1];
        return Promise.all(results.slice(0, limit).map(function (r) { return r.data(); }))
          .then(function (pages) {
            return {
              term: term || "",
              product: split.product,
              total: results.length,
              filters: found.filters || {},
              results: pages.map(function (page) {
                return {
                  url: page.url,
                  title: page.meta.title,
                  type: page.meta.type || "",
                  produits: page.meta.produits || "",
                  excerpt: pieces(page.excerpt || ""),
                };
              }),
            };
          });
      });
    });
  }

  var STOP_WORDS = ("a au aux avec ce ces cet cette dans de des du elle en est et il ils je la le les leur lui ma mais "
    + "me mes moi mon ne ni nos notre nous on ou par pas plus pour qu que qui sa se ses si son sont sur ta te tes "
    + "toi ton tu un une vos votre vous c d j l m n s t y comment quoi quel quelle faire fait").split(" ");

  function significant(term) {
    return term.split(/[\s'’,.;:!?()«»"]+/).filter(function (word) {
      return word && (word.length >= 3 || /\d/.test(word)) && STOP_WORDS.indexOf(fold(word)) < 0;
    });
  }

  function fuse(first, parts) {
    var score = {};
    var byId = {};
    parts.forEach(function (part) {
      part.results.slice(0, 50).forEach(function (result, rank) {
        score[result.id] = (score[result.id] || 0) + 1 / (10 + rank);
        byId[result.id] = result;
      });
    });
    var seen = {};
    first.forEach(function (result) { seen[result.id] = true; });
    var rest = Object.keys(score).filter(function (id) { return !seen[id]; })
      .sort(function (a, b) { return score[b] - score[a]; })
      .map(function (id) { return byId[id]; });
    return first.concat(rest);
  }

  function widest(parts) {
    return parts.reduce(function (best, part) { return part.results.length > best.results.length ? part : best; });
  }

  // Pagefind's excerpt as text pieces, marked or not (entities decoded, no other tag kept).
  function pieces(excerpt) {
    var decoder = document.createElement("textarea");
    return excerpt.split(/(<mark>|<\/mark>)/).reduce(function (state, part) {
      if (part === "<mark>") state.mark = true;
      else if (part === "</mark>") state.mark = false;
      else if (part) {
        decoder.innerHTML = part.replace(/<[^>]*>/g, "");
        state.list.push({ text: decoder.value, mark: state.mark });
      }
      return state;
    }, { mark: false, list: [] }).list;
  }

  function excerptNode(list) {
    var p = document.createElement("p");
    p.className = "portail-result__excerpt";
    list.forEach(function (piece) {
      var node = piece.mark ? document.createElement("mark") : document.createTextNode(piece.text);
      if (piece.mark) node.textContent = piece.text;
      p.appendChild(node);
    });
    return p;
  }

  function resultItem(result, withExcerpt) {
    var li = document.createElement("li");
    li.className = "portail-result";
    var a = document.createElement("a");
    a.href = result.url;
    a.textContent = result.title;
    a.className = "portail-result__title";
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "portail-result__meta";
    meta.textContent = [result.type, result.produits].filter(Boolean).join(" · ");
    li.appendChild(document.createTextNode(" "));
    li.appendChild(meta);
    if (withExcerpt) li.appendChild(excerptNode(result.excerpt));
    return li;
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }

  // --- the search page -------------------------------------------------------------------
  var GROUPS = [["produit", "Produit"], ["type", "Type"], ["version", "Version"]];

  function setupSearchPage() {
    var form = document.querySelector("[data-portail-search-form]");
    if (!form || form.dataset.portailReady) return;
    form.dataset.portailReady = "1";
    document.querySelectorAll("[data-portail-search-nojs]").forEach(function (note) { note.hidden = true; });
    var input = form.querySelector("input[name=q]");
    var status = document.querySelector("[data-portail-search-status]");
    var list = document.querySelector("[data-portail-search-results]");
    var chipsBox = document.querySelector("[data-portail-search-filters]");
    var params = new URLSearchParams(window.location.search);
    var state = { q: (params.get("q") || "").slice(0, MAX_QUERY), produit: params.get("produit") || "",
                  type: params.get("type") || "", version: params.get("version") || "" };
    input.value = state.q;

    function keepInUrl() {
      var url = new URL(window.location.href);
      ["q", "produit", "type", "version"].forEach(function (key) {
        if (state[key]) url.searchParams.set(key, state[key]); else url.searchParams.delete(key);
      });
      window.history.replaceState(null, "", url);
    }

    function renderChips(filters) {
      // The chips are rebuilt with every result: the one the keyboard was on (the chip just
      // pressed) gets the focus back, or the focus would fall back to the top of the page.
      var active = document.activeElement;
      var focused = active && chipsBox.contains(active) ? active.dataset.portailChip : "";
      chipsBox.textContent = "";
      GROUPS.forEach(function (group) {
        var key = group[0];
        var values = filters[key] || {};
        var names = Object.keys(values).filter(function (v) { return values[v] > 0 || state[key] === v; }).sort();
        if (!names.length) return;
        var box = document.createElement("div");
        box.className = "portail-chips portail-search-group";
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Filtrer par " + group[1].toLowerCase());
        var title = document.createElement("span");
        title.className = "portail-search-group__title";
        title.textContent = group[1] + " :";
        box.appendChild(title);
        names.forEach(function (name) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "portail-chip";
          button.setAttribute("aria-pressed", state[key] === name ? "true" : "false");
          button.dataset.portailChip = key + ":" + name;
          button.textContent = name + " ";
          var count = document.createElement("span");
          count.className = "portail-chip__count";
          count.textContent = values[name] || 0;
          button.appendChild(count);
          button.addEventListener("click", function () {
            state[key] = state[key] === name ? "" : name;
            keepInUrl();
            run();
          });
          box.appendChild(button);
        });
        chipsBox.appendChild(box);
      });
      if (focused) {
        var again = Array.prototype.filter.call(chipsBox.querySelectorAll("button.portail-chip"), function (b) {
          return b.dataset.portailChip === focused;
        })[0] || chipsBox.querySelector("button.portail-chip");
        if (again) again.focus();
      }
    }

    function run() {
      if (!state.q.trim() && !state.produit) {
        list.textContent = "";
        chipsBox.textContent = "";
        status.textContent = "Saisissez un ou plusieurs mots (par exemple « certificat expiré »).";
        return;
      }
      status.textContent = "Recherche…";
      search(state.q, { produit: state.produit, type: state.type, version: state.version, limit: 20 })
        .then(function (found) {
          if (found.product && !state.produit) { state.produit = found.product.name; state.q = found.term; input.value = found.term; keepInUrl(); }
          list.textContent = "";
          found.results.forEach(function (result) { list.appendChild(resultItem(result, true)); });
          renderChips(found.filters);
          var what = state.q.trim() ? " pour « " + state.q.trim() + " »" : "";
          var where = state.produit ? " (" + state.produit + ")" : "";
          status.textContent = found.total
            ? plural(found.total, "résultat", "résultats") + what + where + "."
            : "Aucun résultat" + what + where + ". Essayez un autre mot, ou retirez un filtre.";
        })
        .catch(function () { status.textContent = "La recherche n'a pas pu se charger. Parcourez la FAQ par produit."; });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.q = input.value.slice(0, MAX_QUERY);
      keepInUrl();
      run();
    });
    input.addEventListener("input", debounce(function () {
      state.q = input.value.slice(0, MAX_QUERY);
      keepInUrl();
      run();
    }, 250));
    run();
  }

  // --- the FAQ's keyword box ---------------------------------------------------------------
  function setupFaqSearch() {
    var box = document.querySelector("[data-portail-faq-search]");
    if (!box || box.dataset.portailReady) return;
    box.dataset.portailReady = "1";
    box.hidden = false;
    var input = box.querySelector("input");
    var status = box.querySelector("[role=status]");
    var results = box.querySelector("ol");
    var list = document.querySelector("[data-portail-faq-list]");
    var types = JSON.parse(box.dataset.types);
    var fixedProduct = box.dataset.produit || "";

    var run = debounce(function () {
      var query = input.value.trim();
      var product = fixedProduct || new URLSearchParams(window.location.search).get("produit") || "";
      if (query.length < 2) {
        results.textContent = "";
        status.textContent = "";
        if (list) list.hidden = false;
        return;
      }
      search(query, { produit: product, type: types, limit: 20 }).then(function (found) {
        results.textContent = "";
        found.results.forEach(function (result) { results.appendChild(resultItem(result, true)); });
        if (list) list.hidden = true;
        status.textContent = found.total
          ? plural(found.total, "article trouvé", "articles trouvés") + " pour « " + query + " »."
          : "Aucun article pour « " + query + " ».";
      });
    }, 250);
    input.addEventListener("input", run);
    document.addEventListener("portail:filter", run);
  }

  // --- ticket deflection ---------------------------------------------------------------------
  function setupDeflection() {
    var box = document.querySelector("[data-portail-deflection]");
    if (!box || box.dataset.portailReady) return;
    box.dataset.portailReady = "1";
    box.hidden = false;
    var input = box.querySelector("input");
    var select = box.querySelector("select");
    var status = box.querySelector("[role=status]");
    var results = box.querySelector("ol");
    products().then(function (catalogue) {
      catalogue.forEach(function (product) {
        var option = document.createElement("option");
        option.value = product.slug;
        option.textContent = product.name;
        select.appendChild(option);
      });
    });
    var run = debounce(function () {
      var query = input.value.trim();
      if (query.length < 3) {
        results.textContent = "";
        status.textContent = "";
        return;
      }
      search(query, { produit: select.value, limit: 5 }).then(function (found) {
        results.textContent = "";
        found.results.forEach(function (result) { results.appendChild(resultItem(result, false)); });
        status.textContent = found.results.length
          ? "Ces " + plural(found.results.length, "page répond", "pages répondent") + " peut-être à votre question :"
          : "Aucun article ne correspond : déposez un ticket.";
      });
    }, 300);
    input.addEventListener("input", run);
    select.addEventListener("change", run);
    // The ticket application receives what the client typed and chose (README, « Configuration » :
    // `ticket_url?sujet=…&produit=…`). Every link of the page to the ticket application (the
    // box's and the page's own « Déposer un ticket ») carries them; without JS they stay plain.
    var ticket = box.querySelector(".portail-deflection__ticket a");
    if (ticket) {
      var base = ticket.getAttribute("href");
      var links = Array.prototype.filter.call(document.querySelectorAll("a[href]"), function (link) {
        return link.getAttribute("href") === base;
      });
      var carry = function () {
        var href = ticketHref(base, input.value.trim(), select.value);
        links.forEach(function (link) { link.setAttribute("href", href); });
      };
      input.addEventListener("input", carry);
      select.addEventListener("change", carry);
      carry();
    }
  }

  // `base?sujet=…&produit=…`, each value URL-encoded (UTF-8, %20 for a space), empty ones left
  // out; a fragment stays last and a query already in `base` is kept (`&`).
  function ticketHref(base, subject, product) {
    var hash = base.indexOf("#") >= 0 ? base.slice(base.indexOf("#")) : "";
    var href = hash ? base.slice(0, base.indexOf("#")) : base;
    var params = [];
    if (subject) params.push("sujet=" + encodeURIComponent(subject.slice(0, 200)));
    if (product) params.push("produit=" + encodeURIComponent(product));
    if (!params.length) return base;
    return href + (href.indexOf("?") >= 0 ? "&" : "?") + params.join("&") + hash;
  }

  function setup() {
    setupSearchPage();
    setupFaqSearch();
    setupDeflection();
  }

  window.portailSearch = search;
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
