// Portail: browser search over the Pagefind index (French stemming, accents folded, filters
// by product, type and version line). Shared by the search page, the header box, the FAQ's
// keyword box and the ticket-deflection field. A query never reaches the page as HTML: it is
// only ever written with textContent; Pagefind's excerpts are rebuilt from text nodes and <mark>.
//
// What a query means (as `portail search` reads it): its words folded (lowercase, accents
// removed, apostrophes as spaces) and cut as the Python side cuts them (search_words.py), stop
// words left out; a product's name or declared alias (portail-produits.json, `words`) restricts
// the search to that product; synonyms and abbreviations (portail-synonymes.json, optional) give
// variants. Pagefind is asked for the query and a few variants (every word), then, when that
// finds too little, for each word alone: pages with all words but one, then with any word follow.
// Rankings are merged by reciprocal rank, the query as typed first; at most MAX_SEARCHES calls.
// The text a reader types is never rewritten: the box keeps exactly what was typed.
(function () {
  "use strict";

  var MAX_QUERY = 200;
  var PAGE_SIZE = 10; // results shown at once; « Afficher plus » shows the next ones
  var MAX_SEARCHES = 10; // Pagefind calls per query, variants and fallbacks included
  var MAX_ALTERNATIVES = 3; // variants of one word (synonyms, an abbreviation's expansion)
  var MAX_HIGHLIGHT = 8; // words carried to the opened page to be highlighted
  var HIGHLIGHT = "surligner"; // the URL parameter of pagefind-highlight.js
  var RRF_K = 10;
  var script = document.currentScript;
  var BASE = script && script.src ? script.src.replace(/assets\/portail\/portail-search\.js.*$/, "") : "/";
  var pagefindPromise = null;
  var pageCount = 100; // pages in the index (the type filter's counts), read with the filters
  var productsPromise = null;
  var synonymsPromise = null;

  function pagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(BASE + "pagefind/pagefind.js").then(function (pf) {
        // Loading the filters up front makes every search return its counts per filter.
        return pf.options({ baseUrl: new URL(BASE).pathname, highlightParam: HIGHLIGHT })
          .then(function () { return pf.filters(); })
          .then(function (filters) {
            var types = (filters && filters.type) || {};
            var total = Object.keys(types).reduce(function (sum, key) { return sum + types[key]; }, 0);
            if (total > 0) pageCount = total;
            return pf;
          });
      });
    }
    return pagefindPromise;
  }

  function loadJson(name, empty) {
    return fetch(BASE + name)
      .then(function (r) { return r.ok ? r.json() : empty; })
      .catch(function () { return empty; });
  }

  // [{slug, name, code, aliases (what ?produit= accepts), words (what makes a query a filter)}]
  function products() {
    if (!productsPromise) {
      productsPromise = loadJson("portail-produits.json", []).then(function (list) {
        return (Array.isArray(list) ? list : []).map(function (p) {
          return {
            slug: p.slug, name: p.name, code: p.code || "",
            aliases: (p.aliases || []).map(fold),
            words: (p.words || []).map(fold),
          };
        });
      });
    }
    return productsPromise;
  }

  // portail-synonymes.json (optional): {groupes: [[…], …], abreviations: {abr: expansion}}, as a
  // map folded word or phrase -> its variants (each a list of words).
  function synonyms() {
    if (!synonymsPromise) {
      synonymsPromise = loadJson("portail-synonymes.json", {}).then(function (data) {
        var map = {};
        var longest = 1;
        function add(key, variant) {
          key = words(key).join(" ");
          var list = words(variant).filter(function (w) { return !isStopWord(w); }).map(searched);
          if (!key || !list.length || list.join(" ") === key) return;
          longest = Math.max(longest, key.split(" ").length);
          (map[key] = map[key] || []).push(list);
        }
        ((data && data.groupes) || []).forEach(function (group) {
          if (!Array.isArray(group)) return;
          group.forEach(function (member) {
            group.forEach(function (other) { if (other !== member) add(String(member), String(other)); });
          });
        });
        var abbreviations = (data && data.abreviations) || {};
        Object.keys(abbreviations).forEach(function (key) { add(key, String(abbreviations[key])); });
        return { map: map, longest: Math.min(longest, 4) };
      });
    }
    return synonymsPromise;
  }

  // search_words.fold, lowercased, apostrophes as spaces: « Accusé d’réception » -> « accuse d reception ».
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/œ/g, "oe").replace(/Œ/g, "OE").replace(/æ/g, "ae").replace(/Æ/g, "AE").replace(/ß/g, "ss")
      .toLowerCase().replace(/['’‘`]/g, " ");
  }

  // search_words.TOKEN_PATTERN: letters and digits, hyphens and dots inside a word kept.
  var TOKEN = /[\p{L}\p{N}_]+(?:[-.][\p{L}\p{N}_]+)*/gu;

  function words(text) { return fold(text).match(TOKEN) || []; }

  // search_words.STOP_WORDS, the same list (a test compares them).
  var STOP_WORDS = ("a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions "
    + "aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes ayants ayez ayons c ce "
    + "ceci cela ces cet cette comment d dans de des dont du elle en es est et etaient etais etait etant etante "
    + "etantes etants ete etee etees etes etiez etions eu eue eues eumes eurent eus eusse eussent eusses eussiez "
    + "eussions eut eutes eux faire fait fumes furent fus fusse fussent fusses fussiez fussions fut futes il j je l "
    + "la le leur lorsque lui m ma mais me meme mes moi mon n ne nos notre nous on ont ou par pas plus pour pourquoi "
    + "qu quand que quel quelle quelles quels qui quoi s sa sans se sera serai seraient serais serait seras serez "
    + "seriez serions serons seront ses soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi ton "
    + "tous tout toute toutes tres tu un une vos votre vous y").split(" ");
  var STOP = {};
  STOP_WORDS.forEach(function (w) { STOP[w] = true; });

  function isStopWord(folded) { return folded.length < 2 || STOP[folded] === true; }

  // The product a reader named in ?produit= or a chip: slug, code, name or declared alias,
  // case and accents ignored (search_query.product_from_text). Null when none matches.
  function resolveProduct(value, catalogue) {
    var wanted = words(value || "").join(" ");
    if (!wanted) return null;
    return catalogue.find(function (p) {
      return p.slug === value || p.name === value || p.aliases.some(function (a) { return words(a).join(" ") === wanted; });
    }) || null;
  }

  // The query's tokens, as typed and folded, the product its words name (only its name or a
  // declared alias: `words`), and its slots: each meaningful word (or phrase of a synonym) with
  // its variants. `fixed`: the product already chosen (its words are not searched either).
  function analyse(text, catalogue, syn, fixed, detect) {
    var raw = (text.replace(/['’‘`]/g, " ").match(TOKEN) || []);
    var tokens = raw.map(function (r) { return { raw: r, folded: fold(r), product: false }; });
    var found = fixed || null;
    for (var i = 0; i < tokens.length; i++) {
      for (var n = Math.min(3, tokens.length - i); n >= 1; n--) {
        var phrase = tokens.slice(i, i + n).map(function (t) { return t.folded; }).join(" ");
        var owner = found
          ? (found.words.indexOf(phrase) >= 0 ? found : null)
          : (detect ? catalogue.find(function (p) { return p.words.indexOf(phrase) >= 0; }) : null);
        if (owner) {
          found = owner;
          for (var k = i; k < i + n; k++) tokens[k].product = true;
          i += n - 1;
          break;
        }
      }
    }
    var rest = tokens.filter(function (t) { return !t.product; });
    var slots = [];
    for (var j = 0; j < rest.length; j++) {
      var matched = 0;
      for (var m = Math.min(syn.longest, rest.length - j); m >= 1 && !matched; m--) {
        var key = rest.slice(j, j + m).map(function (t) { return t.folded; }).join(" ");
        if (syn.map[key]) {
          var own = rest.slice(j, j + m).filter(function (t) { return !isStopWord(t.folded); })
            .map(function (t) { return searched(t.folded); });
          var alternatives = syn.map[key].slice(0, MAX_ALTERNATIVES);
          // A word of one or two letters is a prefix to Pagefind (« ar » finds « arrêté »,
          // « archive »…): a declared abbreviation that short is searched by its expansion
          // first, the abbreviation itself as a variant.
          if (!own.length || (own.length === 1 && own[0].length <= 2)) {
            var typed = own;
            own = alternatives.shift();
            if (typed.length) alternatives.push(typed);
          }
          slots.push({ words: own, alternatives: alternatives });
          matched = m;
        }
      }
      if (matched) { j += matched - 1; continue; }
      if (!isStopWord(rest[j].folded)) slots.push({ words: [searched(rest[j].folded)], alternatives: [] });
    }
    return {
      product: fixed ? null : found,
      slots: slots.slice(0, 12),
      productWords: tokens.filter(function (t) { return t.product; }).map(function (t) { return t.raw; }),
    };
  }

  // A folded word as Pagefind is asked for it: « bloquée » folded is « bloquee », which the
  // French stemmer no longer takes for a participle; « -ee(s) » is cut back to « -e »
  // (search_words.stem does the same). Words with digits are kept as they are.
  function searched(word) {
    if (/\d/.test(word)) return word;
    if (/ees$/.test(word) && word.length > 5) return word.slice(0, -2);
    if (/ee$/.test(word) && word.length > 4) return word.slice(0, -1);
    return word;
  }

  // Searches of every word: the query as typed, every word replaced by its first variant, then
  // each variant alone; [{text, weight}], without duplicates.
  function variants(slots, cap) {
    var out = [];
    function push(list, weight) {
      var text = list.join(" ");
      if (text && out.length < cap && !out.some(function (v) { return v.text === text; })) out.push({ text: text, weight: weight });
    }
    push(flat(slots.map(function (s) { return s.words; })), 1);
    push(flat(slots.map(function (s) { return s.alternatives[0] || s.words; })), 0.9);
    slots.forEach(function (slot, i) {
      slot.alternatives.forEach(function (alt) {
        push(flat(slots.map(function (s, j) { return i === j ? alt : s.words; })), 0.7);
      });
    });
    return out;
  }

  function flat(lists) { return lists.reduce(function (all, list) { return all.concat(list); }, []); }

  function rrf(lists) {
    var score = {};
    var byId = {};
    lists.forEach(function (list) {
      list.results.forEach(function (result, rank) {
        score[result.id] = (score[result.id] || 0) + list.weight / (RRF_K + rank);
        byId[result.id] = result;
      });
    });
    return { score: score, byId: byId };
  }

  function ordered(fused, ids) {
    return ids.sort(function (a, b) { return fused.score[b] - fused.score[a]; }).map(function (id) { return fused.byId[id]; });
  }

  // Search; options: produit (name, slug, code or alias), type (a type or a list of types),
  // version (a version line of the chosen product: ignored without one), limit (results loaded
  // at once), auto (false: a product's name in the query is a plain word). Resolves to {term,
  // product (chosen, or recognised in the query), recognised, total, filters, results: [{url,
  // href, title, type, produits, excerpt}], more(start, end)}: `total` results can all be
  // loaded with `more`; `href` carries the words to highlight on the page, excerpt is a list of
  // {text, mark} pieces; `searches`: the Pagefind calls it took.
  function search(query, options) {
    options = options || {};
    var text = (query || "").trim().slice(0, MAX_QUERY);
    var used = 0; // Pagefind calls, at most MAX_SEARCHES (the answer's `searches`)
    return Promise.all([pagefind(), products(), synonyms()]).then(function (loaded) {
      var pf = loaded[0];
      var catalogue = loaded[1];
      var syn = loaded[2];
      var fixed = options.produit ? resolveProduct(options.produit, catalogue) : null;
      var base = {};
      if (options.produit) base.produit = fixed ? fixed.name : options.produit;
      if (options.type) base.type = Array.isArray(options.type) ? { any: options.type } : options.type;
      if (options.version && base.produit) base.version = options.version;
      var limit = options.limit || PAGE_SIZE;
      var pass = function (term, filters) { used++; return pf.search(term, { filters: filters }); };
      var meaning = analyse(text, catalogue, syn, fixed, options.auto !== false);
      var recognised = meaning.product;
      var filters = recognised ? Object.assign({}, base, { produit: recognised.name }) : base;
      if (!meaning.slots.length) {
        if (!recognised && !options.produit) return finish([], {}, meaning, null, null, limit);
        return pass(null, filters).then(function (found) {
          return finish(found.results, found.filters, meaning, recognised, fixed, limit);
        });
      }
      var strict = variants(meaning.slots, 3);
      return Promise.all(strict.map(function (v) { return pass(v.text, filters); })).then(function (found) {
        return widen(meaning, filters, strict, found, recognised);
      });

      function widen(meaning, filters, strict, found, recognised) {
        var fused = rrf(found.map(function (f, i) { return { results: f.results, weight: strict[i].weight }; }));
        var first = ordered(fused, Object.keys(fused.score));
        var counts = (found.filter(function (f) { return f.results.length; })[0] || found[0]).filters;
        var slots = meaning.slots;
        if (first.length >= limit || slots.length < 2 || used >= MAX_SEARCHES) {
          return finish(first, counts, meaning, recognised, fixed, limit);
        }
        // Too little has every word: each word alone (its variants too, budget allowing; the
        // longest words first when the budget is short), then the pages with all words but one
        // (three words or more), then with any word, most words first, rarer words weighing more.
        var order = slots.map(function (s, i) { return i; }).sort(function (a, b) {
          return slots[b].words.join(" ").length - slots[a].words.join(" ").length;
        });
        var plan = order.map(function (i) { return { slot: i, text: slots[i].words.join(" ") }; });
        order.forEach(function (i) {
          slots[i].alternatives.forEach(function (alt) { plan.push({ slot: i, text: alt.join(" ") }); });
        });
        plan = plan.slice(0, MAX_SEARCHES - used);
        return Promise.all(plan.map(function (p) { return pass(p.text, filters); })).then(function (parts) {
          var cover = {};
          var searched = {};
          var byId = {};
          parts.forEach(function (part, n) {
            searched[plan[n].slot] = true;
            part.results.forEach(function (r) {
              (cover[r.id] = cover[r.id] || {})[plan[n].slot] = true;
              byId[r.id] = r;
            });
          });
          var words = Object.keys(searched).length;
          // Each word weighs its rarity (idf over the pages of the site): a page ranked high on
          // rare words comes before a long page that holds many common ones.
          var score = {};
          parts.forEach(function (part) {
            var idf = Math.log((pageCount + 1) / (part.results.length + 0.5));
            part.results.forEach(function (r, rank) {
              score[r.id] = (score[r.id] || 0) + Math.max(idf, 0.1) / (RRF_K + rank);
            });
          });
          var covered = function (id) { return Object.keys(cover[id]).length; };
          var rank = function (ids) {
            return ids.sort(function (a, b) { return score[b] - score[a]; }).map(function (id) { return byId[id]; });
          };
          var seen = {};
          first.forEach(function (r) { seen[r.id] = true; });
          var rest = Object.keys(cover).filter(function (id) { return !seen[id]; });
          var most = words >= 3 ? rest.filter(function (id) { return covered(id) >= words - 1; }) : [];
          var results = first.concat(rank(most));
          if (results.length < limit) {
            results = results.concat(rank(rest.filter(function (id) { return most.indexOf(id) < 0; })));
          }
          if (!first.length) counts = widest(parts).filters;
          return finish(results, counts, meaning, recognised, fixed, limit);
        });
      }
    }).then(function (answer) { answer.searches = used; return answer; });
  }

  function widest(parts) {
    return parts.reduce(function (best, part) { return part.results.length > best.results.length ? part : best; });
  }

  function finish(results, counts, meaning, recognised, fixed, limit) {
    var seen = {};
    var highlight = flat(meaning.slots.map(function (s) { return s.words.concat(s.alternatives[0] || []); }))
      .filter(function (w) {
        var key = fold(w);
        if (seen[key] || (key.length < 3 && !/\d/.test(key))) return false;
        seen[key] = true;
        return true;
      }).slice(0, MAX_HIGHLIGHT);
    var more = function (start, end) {
      return Promise.all(results.slice(start, end).map(function (r) { return r.data(); }))
        .then(function (pages) { return pages.map(function (page) { return shape(page, highlight); }); });
    };
    return more(0, limit).then(function (first) {
      return {
        term: flat(meaning.slots.map(function (s) { return s.words; })).join(" "),
        product: fixed || recognised || null,
        recognised: !!recognised,
        total: results.length,
        filters: counts || {},
        results: first,
        more: more,
      };
    });
  }

  function shape(page, highlight) {
    var url = new URL(page.url, window.location.href);
    url.searchParams.delete(HIGHLIGHT);
    var clean = url.pathname + url.search + url.hash;
    highlight.forEach(function (word) { url.searchParams.append(HIGHLIGHT, word); });
    return {
      url: clean,
      href: url.pathname + url.search + url.hash,
      title: page.meta.title,
      type: page.meta.type || "",
      produits: page.meta.produits || "",
      excerpt: pieces(page.excerpt || ""),
    };
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
    a.href = result.href || result.url;
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

  // A list of results shown PAGE_SIZE at a time, then « Afficher plus » (a real button after
  // the list) until every result counted in the status is shown. The status (a live region)
  // says how many are shown; the focus goes to the first link newly shown.
  function resultsView(list, status, withExcerpt) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button portail-more";
    button.textContent = "Afficher plus";
    button.hidden = true;
    list.parentNode.insertBefore(button, list.nextSibling);
    var current = null;
    var shown = 0;
    var summary = "";

    function shownText() {
      return current && shown < current.total ? " " + plural(shown, "affiché", "affichés") + " sur " + current.total + "." : "";
    }
    function append(results) {
      var first = null;
      results.forEach(function (result) {
        var item = resultItem(result, withExcerpt);
        list.appendChild(item);
        if (!first) first = item.querySelector("a");
      });
      shown += results.length;
      button.hidden = !current || shown >= current.total;
      button.disabled = false;
      return first;
    }
    button.addEventListener("click", function () {
      var found = current;
      if (!found || button.disabled) return;
      button.disabled = true;
      found.more(shown, shown + PAGE_SIZE).then(function (results) {
        if (found !== current) return;
        var first = append(results);
        status.textContent = summary + (shown < found.total ? shownText() : " Tous sont affichés.");
        if (first) first.focus();
      });
    });
    return {
      show: function (found, text) {
        current = found;
        shown = 0;
        summary = text;
        list.textContent = "";
        append(found.results);
        status.textContent = text + shownText();
      },
      clear: function () {
        current = null;
        shown = 0;
        list.textContent = "";
        button.hidden = true;
      },
    };
  }

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
    var view = resultsView(list, status, true);
    var params = new URLSearchParams(window.location.search);
    // `auto`: a product named in the query restricts the search (until its chip is let go).
    var state = { q: (params.get("q") || "").slice(0, MAX_QUERY), produit: "",
                  type: params.get("type") || "", version: params.get("version") || "", auto: true };
    var unknown = "";
    var seq = 0;
    // The only time code writes into the box: the query of the address, before anyone types.
    input.value = state.q;

    function keepInUrl() {
      var url = new URL(window.location.href);
      ["q", "produit", "type", "version"].forEach(function (key) {
        if (state[key]) url.searchParams.set(key, state[key]); else url.searchParams.delete(key);
      });
      window.history.replaceState(null, "", url);
    }

    // Version chips appear once a product is chosen (or named in the query): a version line
    // is one product's line, « 4.1 » never mixes two products.
    function renderChips(filters, product) {
      // The chips are rebuilt with every result: the one the keyboard was on (the chip just
      // pressed) gets the focus back, or the focus would fall back to the top of the page.
      var active = document.activeElement;
      var focused = active && chipsBox.contains(active) ? active.dataset.portailChip : "";
      chipsBox.textContent = "";
      var chosen = { produit: product, type: state.type, version: product ? state.version : "" };
      GROUPS.forEach(function (group) {
        var key = group[0];
        if (key === "version" && !product) return;
        var values = filters[key] || {};
        var names = Object.keys(values).filter(function (v) { return values[v] > 0 || chosen[key] === v; }).sort();
        if (!names.length) return;
        var label = key === "version" ? group[1] + " de " + product : group[1];
        var box = document.createElement("div");
        box.className = "portail-chips portail-search-group";
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Filtrer par " + (key === "version" ? "version de " + product : label.toLowerCase()));
        var title = document.createElement("span");
        title.className = "portail-search-group__title";
        title.textContent = label + " :";
        box.appendChild(title);
        names.forEach(function (name) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "portail-chip";
          button.setAttribute("aria-pressed", chosen[key] === name ? "true" : "false");
          button.dataset.portailChip = key + ":" + name;
          button.textContent = name + " ";
          var count = document.createElement("span");
          count.className = "portail-chip__count";
          count.textContent = values[name] || 0;
          button.appendChild(count);
          button.addEventListener("click", function () { press(key, name, product); });
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

    function press(key, name, product) {
      if (key === "produit") {
        if (state.produit === name) { state.produit = ""; state.version = ""; }
        else if (!state.produit && product === name) state.auto = false; // its name becomes a word
        else { state.produit = name; state.version = ""; state.auto = true; }
      } else if (key === "version") {
        if (state.version === name) state.version = "";
        else { state.version = name; state.produit = product; }
      } else {
        state[key] = state[key] === name ? "" : name;
      }
      unknown = "";
      keepInUrl();
      run();
    }

    var reportEmpty = emptySearchReporter(list);
    var submitted = false;

    function run() {
      var mine = ++seq;
      if (!state.q.trim() && !state.produit) {
        view.clear();
        chipsBox.textContent = "";
        status.textContent = (unknown ? "Produit « " + unknown + " » inconnu. " : "")
          + "Saisissez un ou plusieurs mots (par exemple « certificat expiré »).";
        return;
      }
      status.textContent = "Recherche…";
      search(state.q, { produit: state.produit, type: state.type, version: state.version,
                        limit: PAGE_SIZE, auto: state.auto })
        .then(function (found) {
          if (mine !== seq) return; // a newer search is under way: its answer will be shown
          var product = state.produit || (found.recognised && found.product ? found.product.name : "");
          renderChips(found.filters, product);
          var what = state.q.trim() ? " pour « " + state.q.trim() + " »" : "";
          var where = product ? " (" + product + ")" : "";
          var text = found.total
            ? plural(found.total, "résultat", "résultats") + what + where + "."
            : "Aucun résultat" + what + where + ". Essayez un autre mot, ou retirez un filtre.";
          view.show(found, (unknown ? "Produit « " + unknown + " » inconnu : tous les produits. " : "") + text);
          reportEmpty(state.q, product, found, submitted);
          submitted = false;
        })
        .catch(function () {
          if (mine === seq) status.textContent = "La recherche n'a pas pu se charger. Parcourez la FAQ par produit.";
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitted = true;
      state.q = input.value.slice(0, MAX_QUERY);
      state.auto = true;
      keepInUrl();
      run();
    });
    input.addEventListener("input", debounce(function () {
      state.q = input.value.slice(0, MAX_QUERY);
      state.auto = true;
      keepInUrl();
      run();
    }, 250));
    // ?produit= takes a product's name, slug, code or declared alias (« slow », « parapheur »).
    products().then(function (catalogue) {
      var wanted = params.get("produit") || "";
      var product = wanted ? resolveProduct(wanted, catalogue) : null;
      if (product) state.produit = product.name;
      else if (wanted) unknown = wanted;
      if (!state.produit) state.version = "";
      keepInUrl();
      run();
    });
  }

  // --- searches that found nothing, told to the endpoint (issue 14) --------------------------
  // Only on a site built with `endpoint_url` (the element carrying data-portail-endpoint); only
  // once the reader has stopped typing for 2 s (or submitted), once per query: a prefix typed on
  // the way to a word is not a search that failed. A plain form post (sendBeacon), no cookie.
  function emptySearchReporter(root) {
    var endpoint = root && root.dataset.portailEndpoint;
    var timer = null;
    var told = {};
    return function (query, product, found, now) {
      clearTimeout(timer);
      var q = (query || "").replace(/\s+/g, " ").trim().slice(0, MAX_QUERY);
      if (!endpoint || !q || !found || found.total) return;
      var key = q.toLowerCase() + "\u0000" + (product || "");
      var send = function () {
        if (told[key]) return;
        told[key] = true;
        var body = new URLSearchParams({ q: q, produit: product || "" });
        var url = endpoint.replace(/\/+$/, "") + "/api/recherche-vide";
        if (!(navigator.sendBeacon && navigator.sendBeacon(url, body))) {
          fetch(url, { method: "POST", body: body, mode: "no-cors", keepalive: true }).catch(function () {});
        }
      };
      if (now) send(); else timer = setTimeout(send, 2000);
    };
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
    var view = resultsView(results, status, true);
    var seq = 0;
    var reportEmpty = emptySearchReporter(box);

    var run = debounce(function () {
      var query = input.value.trim();
      var product = fixedProduct || new URLSearchParams(window.location.search).get("produit") || "";
      var mine = ++seq;
      if (query.length < 2) {
        view.clear();
        status.textContent = "";
        if (list) list.hidden = false;
        return;
      }
      search(query, { produit: product, type: types, limit: PAGE_SIZE }).then(function (found) {
        if (mine !== seq) return;
        if (list) list.hidden = true;
        view.show(found, found.total
          ? plural(found.total, "article trouvé", "articles trouvés") + " pour « " + query + " »."
          : "Aucun article pour « " + query + " ».");
        reportEmpty(query, product, found, false);
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
    var seq = 0;
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
      var mine = ++seq;
      if (query.length < 3) {
        results.textContent = "";
        status.textContent = "";
        return;
      }
      search(query, { produit: select.value, limit: 5 }).then(function (found) {
        if (mine !== seq) return;
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

  // --- the words searched, highlighted on the page a result opens ------------------------------
  // Only on a content page (data-pagefind-body) whose address carries ?surligner=…: no other
  // page loads pagefind-highlight.js.
  var highlighted = false;
  function setupHighlight() {
    if (highlighted || !new URLSearchParams(window.location.search).has(HIGHLIGHT)) return;
    if (!document.querySelector("[data-pagefind-body]")) return;
    highlighted = true;
    import(BASE + "pagefind/pagefind-highlight.js").then(function (module) {
      var Highlight = module.default || window.PagefindHighlight;
      new Highlight({
        highlightParam: HIGHLIGHT,
        addStyles: false, // portail.css: mark.portail-surligne
        markOptions: {
          className: "portail-surligne",
          exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *", ".headerlink", "script", "style"],
        },
      });
    }).catch(function () { /* no highlight: the page reads the same */ });
  }

  function setup() {
    setupSearchPage();
    setupFaqSearch();
    setupDeflection();
    setupHighlight();
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
