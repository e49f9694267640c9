/*
 * regiodocs: the handbook's search and the facets of its overview lists.
 *
 * The index is static (regiodocs/search, written to _suche/ at build time). Its files
 * are small scripts that call window.regioSuche.index()/teil(), loaded with <script>
 * elements, so the search works from any web server and from a folder opened from disk
 * (file://), where browsers refuse fetch(). Nothing is requested from other hosts.
 *
 * Query analysis mirrors regiodocs/search/analyse.py: lowercase words, gendered forms
 * as one word, Snowball German stems (Sphinx's german-stemmer.js, generated from the
 * same algorithm as the Python stemmer; it folds ä/ae, ö/oe, ü/ue and ß/ss).
 * Each query word is matched, best first, as: the stem itself (also where the index
 * has it as part of a compound), a longer word it begins, a word with one or two typos,
 * or its own compound parts. Synonyms (the shipped planning thesaurus and
 * content/synonyme.yaml) were applied when the index was built: a term's postings
 * include its synonyms', and its shard names them ("s"); two or three query words that
 * form a phrase of the thesaurus ("öffentlicher Nahverkehr") are matched as one. All
 * words must match; if no page has all, pages with some of them are shown, and the
 * page says so.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var MAX_NOTED = 6; // synonyms named in the note above the results
  var FACTOR = { exact: 1, synonym: 0.8, split: 0.6, prefix: 0.5, fuzzy: 0.4 };
  var FUGEN = ["ens", "nen", "es", "en", "er", "s", "n", "e", ""]; // compounds.FUGEN
  var MIN_PART = 3; // compounds.MIN_PART
  var MAX_SPLIT_DEPTH = 2; // a query word splits into at most three parts
  var MAX_CUTS = 12; // cuts with a known modifier whose heads are looked up
  var CUT_BATCH = 3; // ... this many at a time, longest modifier first
  var FACET_PARAMS = ["typ", "partner", "feld", "plattform", "status", "jahr"];
  var PAGE_TYPES = ["seite", "uebersicht"]; // documents.PAGE_TYPE, OVERVIEW_TYPE: not records

  // ------------------------------------------------------------------ loading

  var waiting = {};
  var loading = {};
  var base = "";
  var version = "";

  function settle(key, data) {
    var entry = waiting[key];
    if (entry) {
      delete waiting[key];
      entry.resolve(data);
    }
  }

  window.regioSuche = {
    index: function (data) { settle("index", data); },
    teil: function (key, data) { settle(key, data); }
  };

  function load(key) {
    if (loading[key]) return loading[key];
    loading[key] = new Promise(function (resolve, reject) {
      waiting[key] = { resolve: resolve, reject: reject };
      var script = document.createElement("script");
      script.src = base + key + ".js" + (version ? "?v=" + encodeURIComponent(version) : "");
      script.async = true;
      script.onerror = function () {
        delete waiting[key];
        reject(new Error("Suchindex: " + key + " nicht ladbar"));
      };
      script.onload = function () {
        script.remove();
        if (waiting[key]) {
          delete waiting[key];
          reject(new Error("Suchindex: " + key + " ist leer"));
        }
      };
      document.head.appendChild(script);
    });
    return loading[key];
  }

  // ------------------------------------------------------------------ analysis

  var stemmer = typeof window.GermanStemmer === "function" ? new window.GermanStemmer() : null;
  var stemCache = {};

  function fold(word) {
    return word.replace(/ß/g, "ss").replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u");
  }

  function stem(word) {
    if (!(word in stemCache)) stemCache[word] = stemmer ? stemmer.stemWord(word) : fold(word);
    return stemCache[word];
  }

  function tokens(text) {
    var normal = text.normalize("NFC").toLowerCase().replace(/([\p{L}\p{N}])[:*_/·](?=innen\b|in\b)/gu, "$1");
    // a single letter before a hyphen stays with its word: E-Bike -> ebike (analyse.py)
    normal = normal.replace(/(^|[^\p{L}\p{N}])(\p{L})-(?=[\p{L}\p{N}])/gu, "$1$2");
    return normal.match(/[\p{L}\p{N}]+/gu) || [];
  }

  function distance(a, b, limit) {
    // Damerau-Levenshtein (optimal string alignment), stops early above limit
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      var cur = [i], best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > limit) return limit + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  function typoLimit(term) {
    return term.length >= 9 ? 2 : term.length >= 5 ? 1 : 0;
  }

  // ------------------------------------------------------------------ the index

  function Index(meta) {
    this.meta = meta;
    this.terms = {};
    this.codes = {};
    this.shardsLoaded = {};
    this.facets = meta.facetten;
    this.given = {};
    this.known = new Set(); // words that are no compound of the content's terms ("w" of a shard)
    this.stop = new Set(meta.stopp);
  }

  Index.prototype.shardOf = function (term) {
    var bounds = this.meta.grenzen, lo = 0, hi = bounds.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (bounds[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  Index.prototype.shardsFor = function (term, prefix) {
    var first = this.shardOf(term), found = [first], bounds = this.meta.grenzen;
    // a prefix query continues into the next shards while their first term still matches
    for (var i = first + 1; prefix && i < bounds.length && i <= first + 2 && bounds[i].indexOf(term) === 0; i++) {
      found.push(i);
    }
    return found;
  };

  Index.prototype.loadShards = function (numbers) {
    var self = this;
    return Promise.all(numbers.filter(function (n) { return !self.shardsLoaded[n]; }).map(function (n) {
      return load("t/" + n).then(function (data) {
        self.shardsLoaded[n] = true;
        Object.assign(self.terms, data.t);
        Object.assign(self.given, data.s || {});
        (data.w || []).forEach(function (w) { self.known.add(w); });
        decodeCodes(data.f, self.codes);
      });
    }));
  };

  // postings "gap.score,gap.score" (base 36, documents ascending) -> Map(doc -> score)
  Index.prototype.postings = function (term) {
    var encoded = this.terms[term], map = new Map(), doc = 0;
    if (!encoded) return map;
    encoded.split(",").forEach(function (pair) {
      var dot = pair.indexOf(".");
      doc += parseInt(pair.slice(0, dot), 36);
      map.set(doc, parseInt(pair.slice(dot + 1), 36));
    });
    return map;
  };

  // The synonyms whose postings a term was given when the index was built (texts)
  Index.prototype.synonymsOf = function (term) {
    return this.given[term] || [];
  };

  Index.prototype.values = function (doc) {
    var code = this.codes[doc];
    return code === undefined ? null : parseCode(code);
  };

  // facet code "0|3|5|0,3|1|2" -> [[0], [3], [5], [0, 3], [1], [2]]
  function parseCode(code) {
    return code.split("|").map(function (part) {
      return part ? part.split(",").map(function (x) { return parseInt(x, 36); }) : [];
    });
  }

  // facet codes "gap:code gap:code" (documents ascending, gaps in base 36) into target
  function decodeCodes(encoded, target) {
    var doc = 0;
    (encoded ? encoded.split(" ") : []).forEach(function (entry) {
      var colon = entry.indexOf(":");
      doc += parseInt(entry.slice(0, colon), 36);
      target[doc] = entry.slice(colon + 1);
    });
  }

  // Alternatives for one query word: [{stems, factor, kind, text}]
  function candidates(index, word) {
    var s = stem(word), out = [];
    if (index.terms[s]) out.push({ stems: [s], factor: FACTOR.exact, kind: "exact", given: index.synonymsOf(s) });
    var prefixHits = 0;
    if (s.length >= 4) {
      Object.keys(index.terms).forEach(function (t) {
        if (t !== s && t.indexOf(s) === 0) {
          out.push({ stems: [t], factor: FACTOR.prefix, kind: "prefix" });
          prefixHits++;
        }
      });
    }
    if (!index.terms[s] && !prefixHits) {
      var limit = typoLimit(s);
      if (limit) {
        Object.keys(index.terms).forEach(function (t) {
          if (t.length >= 4 && distance(s, t, limit) <= limit) {
            out.push({ stems: [t], factor: FACTOR.fuzzy, kind: "fuzzy" });
          }
        });
      }
    }
    return out;
  }

  // Query-side decompounding: the cuts of regiodocs/search/compounds.py (a modifier of at
  // least MIN_PART letters, one of its linking elements FUGEN, a head of at least MIN_PART),
  // recursively, with the index's own terms as the lexicon (a part must be an indexed term,
  // which includes the parts the index side split off). Resolves to lists of part stems.
  function cutsOf(word) {
    var out = [];
    for (var cut = word.length - MIN_PART; cut >= MIN_PART; cut--) {
      for (var f = 0; f < FUGEN.length; f++) {
        var fuge = FUGEN[f], end = cut - fuge.length;
        if (end < MIN_PART || word.slice(end, cut) !== fuge) continue;
        out.push({ left: stem(word.slice(0, end)), head: word.slice(cut) });
      }
    }
    return out;
  }

  function usable(index, term, word) {
    return term.length >= MIN_PART && Boolean(index.terms[term]) && !index.stop.has(word);
  }

  function splitWord(index, word, depth) {
    var cuts = cutsOf(word);
    return index.loadShards(unique(cuts.map(function (c) { return index.shardOf(c.left); }))).then(function () {
      var known = cuts.filter(function (c) { return usable(index, c.left, c.left); }).slice(0, MAX_CUTS);
      return headsOf(index, known, 0, depth);
    }).then(function (found) {
      // fewest parts first; among those the longest modifier (the order of the cuts)
      return found.sort(function (a, b) { return a.length - b.length; }).slice(0, 2);
    });
  }

  // Looks the heads of the known cuts up a few at a time (each may need its own shard) and
  // stops at the first batch that yields a split; a head that is no term is split once more
  function headsOf(index, known, from, depth) {
    var batch = known.slice(from, from + CUT_BATCH);
    if (!batch.length) return Promise.resolve([]);
    var heads = batch.map(function (c) { return index.shardOf(stem(c.head)); });
    return index.loadShards(unique(heads)).then(function () {
      var found = [], pending = [];
      batch.forEach(function (c) {
        var head = stem(c.head);
        if (usable(index, head, c.head)) found.push([c.left, head]);
        else if (depth < MAX_SPLIT_DEPTH && c.head.length >= 2 * MIN_PART) {
          pending.push(splitWord(index, c.head, depth + 1).then(function (subs) {
            subs.forEach(function (sub) { found.push([c.left].concat(sub)); });
          }));
        }
      });
      return Promise.all(pending).then(function () {
        return found.length ? found : headsOf(index, known, from + CUT_BATCH, depth);
      });
    });
  }

  function unique(list) {
    return list.filter(function (x, i) { return list.indexOf(x) === i; });
  }

  // Runs of two or three query stems, as the index keys phrases: [{start, length, key}], longest first
  function phrases(stems) {
    var found = [];
    for (var n = 3; n >= 2; n--) {
      for (var i = 0; i + n <= stems.length; i++) {
        found.push({ start: i, length: n, key: stems.slice(i, i + n).join(" ") });
      }
    }
    return found;
  }

  function joinPhrases(index, words, stems) {
    var outWords = words.slice(), outStems = stems.slice(), used = words.map(function () { return false; });
    phrases(stems).forEach(function (p) {
      if (!index.terms[p.key]) return;
      for (var i = p.start; i < p.start + p.length; i++) if (used[i]) return;
      for (i = p.start; i < p.start + p.length; i++) used[i] = true;
      outWords[p.start] = words.slice(p.start, p.start + p.length).join(" ");
      outStems[p.start] = p.key;
      for (i = p.start + 1; i < p.start + p.length; i++) outStems[i] = null;
    });
    return {
      words: outWords.filter(function (_w, i) { return outStems[i] !== null; }),
      stems: outStems.filter(function (s) { return s !== null; })
    };
  }

  // A phrase: the documents the index gave its key (synonyms), or those with all its words
  function phraseCandidates(index, key) {
    return [
      { stems: [key], factor: FACTOR.exact, kind: "exact", given: index.synonymsOf(key) },
      { stems: key.split(" "), factor: FACTOR.exact, kind: "exact" }
    ];
  }

  function scoreAlternative(index, alt) {
    var maps = alt.stems.map(function (t) { return index.postings(t); });
    var result = new Map();
    maps[0].forEach(function (score, doc) {
      var total = score, ok = true;
      for (var i = 1; i < maps.length && ok; i++) {
        if (!maps[i].has(doc)) ok = false; else total += maps[i].get(doc);
      }
      if (ok) result.set(doc, (total / maps.length) * alt.factor);
    });
    return result;
  }

  // An empty query: every record (the index's term for all of them, scored by recency)
  function listAll(index) {
    var term = index.meta.alle;
    return index.loadShards(term ? [index.shardOf(term)] : []).then(function () {
      var results = [];
      if (term) index.postings(term).forEach(function (score, doc) { results.push({ doc: doc, score: score }); });
      var notes = { fuzzy: [], synonyms: [], split: [], missing: [] };
      return { words: [], results: results, terms: new Set(), notes: notes, partial: false, all: true };
    });
  }

  // The full query: {words, results: [{doc, score}], terms: Set, notes}
  function runQuery(index, query) {
    var words = [];
    tokens(query).forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); });
    var content = words.filter(function (w) { return !index.stop.has(w) && w.length >= 2; });
    if (content.length) words = content;
    var stems = words.map(stem);
    var needed = [];
    stems.forEach(function (s) { needed = needed.concat(index.shardsFor(s, s.length >= 4)); });
    phrases(stems).forEach(function (p) { needed.push(index.shardOf(p.key)); });
    return index.loadShards(needed).then(function () {
      // two or three words that are a phrase of the thesaurus: matched as one term
      var merged = joinPhrases(index, words, stems);
      words = merged.words;
      stems = merged.stems;
      // unknown words: try their compound parts
      return Promise.all(words.map(function (w, i) {
        // a known word (a thesaurus term, a dictionary word the index side keeps whole:
        // "Altstadt", "Innenentwicklung") is not cut into unrelated parts
        var whole = !index.terms[stems[i]] && !index.known.has(stems[i]) && stems[i].indexOf(" ") < 0 &&
          w.length >= 2 * MIN_PART;
        return whole ? splitWord(index, w, 0) : Promise.resolve([]);
      }));
    }).then(function (splitsPerWord) {
      var perWord = [], matched = new Set(), notes = { fuzzy: [], synonyms: [], split: [], missing: [] };
      words.forEach(function (w, i) {
        var alts = stems[i].indexOf(" ") > 0 ? phraseCandidates(index, stems[i]) : candidates(index, w);
        splitsPerWord[i].forEach(function (parts) {
          alts.push({ stems: parts, factor: FACTOR.split, kind: "split" });
        });
        var scores = new Map();
        alts.forEach(function (alt) {
          var result = scoreAlternative(index, alt);
          if (!result.size) return;
          alt.stems.forEach(function (t) { t.split(" ").forEach(function (x) { matched.add(x); }); });
          (alt.given || []).forEach(function (text) {
            notes.synonyms.push(text);
            tokens(text).forEach(function (x) { if (!index.stop.has(x)) matched.add(stem(x)); });
          });
          if (alt.kind === "fuzzy" && notes.fuzzy.indexOf(w) < 0) notes.fuzzy.push(w);
          if (alt.kind === "split" && notes.split.indexOf(w) < 0) notes.split.push(w);
          result.forEach(function (score, doc) {
            if (!scores.has(doc) || scores.get(doc) < score) scores.set(doc, score);
          });
        });
        if (!scores.size) notes.missing.push(w);
        perWord.push(scores);
      });
      var combined = combine(perWord, true), partial = false;
      if (!combined.size && perWord.length > 1) {
        combined = combine(perWord, false);
        partial = combined.size > 0;
      }
      var results = [];
      combined.forEach(function (score, doc) { results.push({ doc: doc, score: score }); });
      return { words: words, results: results, terms: matched, notes: notes, partial: partial };
    });
  }

  function combine(perWord, all) {
    var combined = new Map();
    perWord.forEach(function (scores, i) {
      scores.forEach(function (score, doc) {
        if (all && i > 0 && !combined.has(doc)) return;
        combined.set(doc, (combined.get(doc) || 0) + score);
      });
      if (all && i > 0) {
        combined.forEach(function (_s, doc) { if (!scores.has(doc)) combined.delete(doc); });
      }
    });
    return combined;
  }

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function germanDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "." + m[2] + "." + m[1] : iso || "";
  }

  function plural(n, one, many) {
    return n.toLocaleString("de-DE") + " " + (n === 1 ? one : many);
  }

  function readSelection() {
    var params = new URLSearchParams(location.search), selected = {};
    FACET_PARAMS.forEach(function (p) { selected[p] = new Set(params.getAll(p)); });
    return selected;
  }

  function writeSelection(selected) {
    var params = new URLSearchParams(location.search);
    FACET_PARAMS.forEach(function (p) {
      params.delete(p);
      Array.from(selected[p]).sort().forEach(function (v) { params.append(p, v); });
    });
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "") + location.hash;
    try {
      history.replaceState(null, "", url);
      return true;
    } catch (e) {
      return false; // some browsers refuse this for file:// pages
    }
  }

  // Facets over a set of items ({values: per facet the indices of the item's values}).
  // A facet is shown when the items have at least two of its values (or one is selected).
  // options.collapsible: inside a <details>, closed unless a filter is active.
  function Facets(container, facets, items, selected, onChange, idPrefix, options) {
    this.facets = facets;
    this.items = items;
    this.selected = selected;
    this.onChange = onChange;
    this.counts = {};
    var self = this, opts = options || {};
    var present = facets.map(function () { return new Set(); });
    items.forEach(function (item) {
      item.values.forEach(function (vals, f) { vals.forEach(function (v) { present[f].add(v); }); });
    });
    var active = FACET_PARAMS.some(function (p) { return selected[p] && selected[p].size; });
    var headingId = idPrefix + "-titel", section, body;
    if (opts.collapsible) {
      section = el("details", { className: "regio-facetten regio-facetten-klappe" });
      section.open = active || Boolean(opts.openWide && window.matchMedia("(min-width: 50rem)").matches);
      section.appendChild(el("summary", { id: headingId, text: "Filter" }));
      body = el("div", { className: "regio-facetten-inhalt" });
      section.appendChild(body);
    } else {
      section = el("section", { className: "regio-facetten", "aria-labelledby": headingId }, [
        el("h2", { id: headingId, text: "Filter" })
      ]);
      body = section;
    }
    var shown = 0;
    facets.forEach(function (facet, f) {
      var wanted = selected[facet.id] || new Set();
      if (present[f].size < 2 && !wanted.size) return;
      var fieldset = el("fieldset", { className: "regio-facette" }, [el("legend", { text: facet.name })]);
      facet.werte.forEach(function (pair, v) {
        if (!present[f].has(v) && !wanted.has(pair[0])) return;
        var id = idPrefix + "-" + facet.id + "-" + v;
        var box = el("input", { type: "checkbox", id: id, name: facet.id, value: pair[0] });
        box.checked = wanted.has(pair[0]);
        box.addEventListener("change", function () {
          if (box.checked) selected[facet.id].add(pair[0]); else selected[facet.id].delete(pair[0]);
          self.onChange();
        });
        var count = el("span", { className: "regio-anzahl" });
        self.counts[f + ":" + v] = count;
        fieldset.appendChild(el("div", { className: "regio-facette-wert" }, [
          box, el("label", { "for": id }, [pair[1] + " ", count])
        ]));
      });
      body.appendChild(fieldset);
      shown++;
    });
    this.reset = el("button", { type: "button", className: "regio-zuruecksetzen", text: "Alle Filter zurücksetzen" });
    this.reset.addEventListener("click", function () {
      FACET_PARAMS.forEach(function (p) { selected[p].clear(); });
      section.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
      self.onChange();
    });
    body.appendChild(this.reset);
    container.textContent = "";
    if (shown) container.appendChild(section);
  }

  Facets.prototype.matches = function (item, except) {
    var self = this;
    return this.facets.every(function (facet, f) {
      if (f === except) return true;
      var wanted = self.selected[facet.id];
      if (!wanted || !wanted.size) return true;
      return item.values[f].some(function (v) { return wanted.has(facet.werte[v][0]); });
    });
  };

  Facets.prototype.update = function () {
    var self = this;
    Object.keys(this.counts).forEach(function (key) { self.counts[key].dataset.n = "0"; });
    this.facets.forEach(function (facet, f) {
      self.items.forEach(function (item) {
        if (!self.matches(item, f)) return;
        item.values[f].forEach(function (v) {
          var count = self.counts[f + ":" + v];
          if (count) count.dataset.n = String(Number(count.dataset.n) + 1);
        });
      });
    });
    Object.keys(this.counts).forEach(function (key) {
      self.counts[key].textContent = "(" + self.counts[key].dataset.n + ")";
    });
    var active = FACET_PARAMS.some(function (p) { return self.selected[p] && self.selected[p].size; });
    this.reset.hidden = !active;
    return this.items.filter(function (item) { return self.matches(item, -1); });
  };

  // ------------------------------------------------------------------ search page

  function highlight(text, terms) {
    // <mark> every word whose stem is a matched term or contains one (compound parts)
    var frag = document.createDocumentFragment(), last = 0, hits = 0;
    var long = Array.from(terms).filter(function (t) { return t.length >= 4; });
    text.replace(/[\p{L}\p{N}]+/gu, function (word, offset) {
      var s = stem(word.toLowerCase());
      var hit = terms.has(s) || long.some(function (t) { return s.indexOf(t) >= 0; });
      if (hit) {
        frag.appendChild(document.createTextNode(text.slice(last, offset)));
        frag.appendChild(el("mark", { text: word }));
        last = offset + word.length;
        hits++;
      }
      return word;
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    return { node: frag, hits: hits };
  }

  // a sentence: up to . ! ? (with closing quotes) before a space or the end, as
  // regiodocs/search/documents.py's _SENTENCE
  var SENTENCE = /(?:(?![.!?…]+[“”"»«'’)\]]*(?:\s|$))[^\n])+(?:[.!?…]+[“”"»«'’)\]]*(?=\s|$))?|[.!?…]+[“”"»«'’)\]]*(?=\s|$)/g;
  var SHORTENED = /(…|\.\.\.)$/;

  function excerpt(card, terms) {
    // sentences of the teaser and the text (a line is a block: a heading is never glued to
    // the paragraph below it), each once
    // (SENTENCE: an end is . ! ? with its closing quotes before a space, so "140.000" stays
    // whole); a shortened sentence ("… attraktive …") is left out where the text has it in full
    var sentences = [], seen = new Set(), all = [];
    [card.k || "", card.x || ""].forEach(function (text) {
      (text.match(SENTENCE) || []).forEach(function (s) {
        var key = s.trim().replace(/\s+/g, " ").toLowerCase();
        if (key) all.push(key);
      });
    });
    [card.k || "", card.x || ""].forEach(function (text) {
      (text.match(SENTENCE) || []).forEach(function (s) {
        var key = s.trim().replace(/\s+/g, " ").toLowerCase();
        if (!key || seen.has(key)) return;
        seen.add(key);
        if (SHORTENED.test(key)) {
          var start = key.replace(/[.… ]+$/, "");
          if (all.some(function (f) { return !SHORTENED.test(f) && f.indexOf(start) === 0; })) return;
        }
        sentences.push(s.trim());
      });
    });
    var chosen = [];
    for (var i = 0; i < sentences.length && chosen.join(" ").length < 220; i++) {
      if (highlight(sentences[i], terms).hits) chosen.push(sentences[i]);
    }
    var text = chosen.length ? chosen.join(" … ") : card.k || (card.x || "").slice(0, 240).replace(/\n/g, " ");
    if (text.length > 320) text = text.slice(0, 300).replace(/\s+\S*$/, "") + " …";
    return highlight(text, terms).node;
  }

  function SearchPage(root) {
    this.root = root;
    this.input = document.getElementById("regio-suche-q");
    this.status = document.getElementById("regio-suche-status");
    this.hint = document.getElementById("regio-suche-hinweis");
    this.facetBox = document.getElementById("regio-facetten");
    this.list = document.getElementById("regio-treffer");
    this.more = document.getElementById("regio-mehr");
    this.contentRoot = document.documentElement.dataset.content_root || "";
    this.shown = 0;
  }

  SearchPage.prototype.start = function () {
    var self = this;
    var params = new URLSearchParams(location.search);
    var query = (params.get("q") || "").trim();
    this.input.value = query;
    this.more.addEventListener("click", function () { self.showMore(true); });
    var src = this.root.dataset.index;
    base = src.slice(0, src.length - "index.js".length);
    version = this.root.dataset.version || "";
    this.say(query ? "Suche läuft …" : "Einträge werden geladen …");
    load("index").then(function (meta) {
      self.index = new Index(meta);
      // no query: every record, newest first, with the facets (e.g. from the start page's matrix)
      return query ? runQuery(self.index, query) : listAll(self.index);
    }).then(function (outcome) {
      self.outcome = outcome;
      self.render(query);
    }).catch(function (error) {
      self.fail(error);
    });
  };

  SearchPage.prototype.say = function (text) {
    this.status.textContent = text;
  };

  SearchPage.prototype.fail = function (error) {
    var local = location.protocol === "file:";
    this.say("Die Suche konnte ihren Index nicht laden.");
    this.hint.textContent = local
      ? "Das Handbuch ist direkt vom Datenträger geöffnet, und dieser Browser lädt dort keine Skripte "
        + "aus Unterordnern. Öffnen Sie es über einen Webserver, oder nutzen Sie die Übersichten im Menü."
      : "Bitte laden Sie die Seite neu. Alle Einträge finden Sie auch über die Übersichten im Menü.";
    if (window.console) console.error(error);
  };

  SearchPage.prototype.render = function (query) {
    var self = this, index = this.index, outcome = this.outcome;
    var items = outcome.results.map(function (r) {
      var code = index.codes[r.doc];
      var typ = code ? parseCode(code)[0][0] : -1;
      var record = index.facets[0].werte[typ] && PAGE_TYPES.indexOf(index.facets[0].werte[typ][0]) < 0;
      return { doc: r.doc, score: r.score, record: record, values: index.values(r.doc) || index.facets.map(function () { return []; }) };
    });
    items.sort(function (a, b) {
      return (b.record - a.record) || (b.score - a.score) || (a.doc - b.doc);
    });
    this.items = items;
    this.selected = readSelection();
    this.facets = new Facets(this.facetBox, index.facets, items, this.selected, function () {
      self.urlOk = writeSelection(self.selected);
      self.apply();
    }, "regio-suche-f", { collapsible: true, openWide: true });
    this.notes(query);
    this.apply();
  };

  SearchPage.prototype.notes = function (query) {
    var n = this.outcome.notes, parts = [];
    if (this.outcome.partial) {
      parts.push("Keine Seite enthält alle Suchwörter; gezeigt werden Seiten mit einigen davon.");
    }
    if (n.fuzzy.length) parts.push("Ähnliche Schreibweisen von „" + n.fuzzy.join("“, „") + "“ eingeschlossen.");
    if (n.split.length) parts.push("„" + n.split.join("“, „") + "“ auch in seinen Wortteilen gesucht.");
    if (n.synonyms.length) {
      var uniq = n.synonyms.filter(function (s, i) { return n.synonyms.indexOf(s) === i; });
      var shown = uniq.slice(0, MAX_NOTED).join(", ") + (uniq.length > MAX_NOTED ? " und weitere" : "");
      parts.push("Auch gesucht: " + shown + ".");
    }
    this.hint.textContent = parts.join(" ");
  };

  SearchPage.prototype.apply = function () {
    var visible = this.facets.update();
    this.visible = visible;
    this.shown = 0;
    this.list.textContent = "";
    var total = this.items.length, q = "„" + this.input.value.trim() + "“";
    var text;
    if (this.outcome.all) {
      text = visible.length === total
        ? plural(total, "Eintrag", "Einträge") + ", neueste zuerst."
        : plural(visible.length, "Eintrag", "Einträge") + " (gefiltert, insgesamt " + total + "), neueste zuerst.";
    } else if (!total) text = "Keine Ergebnisse für " + q + ".";
    else if (visible.length === total) text = plural(total, "Ergebnis", "Ergebnisse") + " für " + q + ".";
    else text = plural(visible.length, "Ergebnis", "Ergebnisse") + " für " + q + " (gefiltert, insgesamt " + total + ").";
    this.say(text);
    if (this.urlOk === false) {
      this.hint.textContent = "Vom Datenträger geöffnet: Die Filter stehen nicht in der Adresszeile.";
    }
    this.showMore(false);
  };

  SearchPage.prototype.showMore = function (focus) {
    var self = this, index = this.index;
    var batch = this.visible.slice(this.shown, this.shown + PAGE_SIZE);
    this.shown += batch.length;
    this.more.hidden = this.shown >= this.visible.length;
    var slots = batch.map(function (item) {
      var li = el("li", { className: "regio-treffer-eintrag" });
      self.list.appendChild(li);
      return li;
    });
    // slots of an earlier filter state may be filled after they left the page: harmless
    Promise.all(batch.map(function (item) { return load("e/" + item.doc); })).then(function (cards) {
      cards.forEach(function (card, i) { self.fillCard(slots[i], card, batch[i]); });
      if (focus && slots[0]) {
        var link = slots[0].querySelector("a");
        if (link) link.focus();
      }
    }).catch(function (error) { self.fail(error); });
  };

  SearchPage.prototype.fillCard = function (li, card, item) {
    var index = this.index, terms = this.outcome.terms, facets = index.facets;
    var values = item.values;
    var label = function (f) {
      return values[f].map(function (v) { return facets[f].werte[v][1]; });
    };
    var title = highlight(card.t, terms).node;
    var link = el("a", { href: this.contentRoot + card.u }, [title]);
    var meta = [];
    meta.push(el("span", { className: "regio-treffer-typ", text: label(0).join(", ") }));
    if (label(1).length) meta.push(el("span", { className: "regio-treffer-partner", text: label(1).join(", ") }));
    if (label(4).length) meta.push(el("span", { className: "regio-treffer-status", text: label(4).join(", ") }));
    if (card.d) meta.push(el("span", { className: "regio-treffer-stand", text: "Stand: " + germanDate(card.d) }));
    var metaP = el("p", { className: "regio-treffer-meta" });
    meta.forEach(function (m, i) {
      if (i) metaP.appendChild(document.createTextNode(" · "));
      metaP.appendChild(m);
    });
    li.appendChild(el("h3", { className: "regio-treffer-titel" }, [link]));
    li.appendChild(metaP);
    li.appendChild(el("p", { className: "regio-treffer-auszug" }, [excerpt(card, terms)]));
  };

  // ------------------------------------------------------------------ overview lists

  function enhanceList() {
    var dataNode = document.getElementById("regio-liste-daten");
    if (!dataNode) return;
    var data = JSON.parse(dataNode.textContent);
    var byUrl = {};
    Object.keys(data.eintraege).forEach(function (rel) {
      byUrl[new URL(rel, location.href).href.split("#")[0]] = data.eintraege[rel];
    });
    var main = document.querySelector("article") || document.body;
    var items = [], seen = new Set(), firstList = null;
    // the page's lists of records only (cards or table), not a chart's or a map's links
    main.querySelectorAll(".regio-liste a[href]").forEach(function (a) {
      if (!(a instanceof HTMLAnchorElement)) return;
      var url = a.href.split("#")[0], code = byUrl[url];
      if (code === undefined) return;
      var node = a.closest(".sd-col") || a.closest("tr") || a.closest("li");
      if (!node || seen.has(node)) return;
      seen.add(node);
      if (!firstList) firstList = node.closest(".regio-liste") || node.closest("table") || node.parentElement;
      items.push({
        node: node,
        values: parseCode(code)
      });
    });
    if (items.length < 2 || !firstList) return;
    var box = el("div", { className: "regio-listen-facetten" });
    var status = el("p", { className: "regio-listen-status", role: "status", "aria-live": "polite" });
    firstList.parentNode.insertBefore(box, firstList);
    firstList.parentNode.insertBefore(status, firstList);
    var selected = readSelection();
    var facets = new Facets(box, data.facetten, items, selected, function () {
      writeSelection(selected);
      apply();
    }, "regio-liste-f", { collapsible: true });
    function apply() {
      var visible = new Set(facets.update());
      items.forEach(function (item) {
        item.node.hidden = !visible.has(item);
        item.node.classList.add("regio-listen-eintrag");
      });
      status.textContent = visible.size === items.length
        ? plural(items.length, "Eintrag", "Einträge")
        : visible.size + " von " + plural(items.length, "Eintrag", "Einträgen") + " (gefiltert)";
    }
    apply();
  }

  // ------------------------------------------------------------------ start

  function start() {
    var root = document.getElementById("regio-suche");
    if (root) new SearchPage(root).start();
    enhanceList();
  }

  window.regioSuche.analyse = { tokens: tokens, stem: stem, distance: distance };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
