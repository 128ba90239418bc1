/*
 * Scholia default theme: small improvements over pages that already work without it.
 *
 * - Sidenotes (1200px and wider): the stylesheet floats each note into the margin next to
 *   the block that cites it; this script moves it level with the reference itself (on the
 *   baseline of the reference's line), and pushes a note down when the one above would
 *   overlap it.
 * - Notes on narrow screens: a tap on a note number opens the note just below the line
 *   (without this script the number links to the notes list).
 * - Glossary hover cards: shown on hover and keyboard focus, dismissed with Escape, kept
 *   inside the viewport (without this script, the link's `title` and a CSS card show).
 * - Search: runs a query of the search page against the index under search/ (see
 *   src/search.rs), downloading one shard per word and the documents shown.
 */
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.add('js');
  var wide = window.matchMedia('(min-width: 1200px)');

  /* ------------------------------------------------------------ sidenotes */

  // The gap kept between two notes pushed one under the other, in px.
  var NOTE_GAP = 12;

  function noteNumber(aside) {
    var n = aside.querySelector('.sidenote-number');
    return n ? n.textContent.trim() : null;
  }

  // The first reference to note `n` in the text of `prose` (not one inside a note).
  function referenceOf(prose, n) {
    var links = prose.querySelectorAll('sup.note-ref a[href="#fn-' + n + '"]');
    for (var i = 0; i < links.length; i++) {
      if (!links[i].closest('.sidenote, .note-inline')) return links[i];
    }
    return null;
  }

  // The page y of the text baseline at `node`'s start: an empty inline-block's bottom edge
  // sits on the baseline of its line.
  function baselineAt(parent, before) {
    var probe = document.createElement('span');
    probe.style.cssText = 'display:inline-block;width:0;height:0;margin:0;padding:0;border:0';
    parent.insertBefore(probe, before);
    var y = probe.getBoundingClientRect().bottom;
    probe.remove();
    return y;
  }

  // How far below a note's top its first line's baseline is.
  function noteBaseline(aside) {
    var first = aside.querySelector('.sidenote-number') || aside.firstChild;
    return baselineAt(first.parentNode, first) - aside.getBoundingClientRect().top;
  }

  function placeSidenotes() {
    document.querySelectorAll('.prose').forEach(function (prose) {
      // Notes of several blocks are asides between the blocks; one-paragraph notes are spans
      // right after their reference (where they float without the script).
      var asides = Array.prototype.slice.call(prose.querySelectorAll('.sidenote'));
      if (!asides.length) return;
      if (!wide.matches) {
        prose.classList.remove('sidenotes-placed');
        prose.style.minHeight = '';
        asides.forEach(function (a) { a.style.top = ''; });
        return;
      }
      prose.classList.add('sidenotes-placed');
      var origin = prose.getBoundingClientRect().top;
      var floor = -Infinity;
      // A margin float before the text (an entry's facts table) holds the top of the margin:
      // the notes start below it, as floats would.
      for (var el = prose.previousElementSibling; el; el = el.previousElementSibling) {
        // `inline-end`: on the right, or on the left in a right-to-left page.
        if (getComputedStyle(el).float !== 'none') {
          floor = Math.max(floor, el.getBoundingClientRect().bottom - origin + NOTE_GAP);
        }
      }
      asides.forEach(function (aside) {
        var ref = referenceOf(prose, noteNumber(aside));
        // Level means on the same baseline as the line that holds the reference.
        var sup = ref && ref.closest('sup');
        var want = sup ? baselineAt(sup.parentNode, sup) - origin - noteBaseline(aside) : floor;
        var top = Math.max(want, floor);
        // `top` is from the text's top; a span inside a positioned paragraph is placed from
        // the paragraph's.
        var parent = aside.offsetParent || prose;
        aside.style.top = (top + origin - parent.getBoundingClientRect().top) + 'px';
        floor = top + aside.offsetHeight + NOTE_GAP;
      });
      // Absolute notes take no room: keep the last one clear of what follows the text.
      prose.style.minHeight = '';
      if (floor > prose.offsetHeight) prose.style.minHeight = floor + 'px';
    });
  }

  var placing = 0;
  function schedulePlacing() {
    if (placing) return;
    placing = window.requestAnimationFrame(function () {
      placing = 0;
      placeSidenotes();
    });
  }

  /* ------------------------------------------------------------ notes inline (narrow) */

  document.addEventListener('click', function (ev) {
    var link = ev.target.closest && ev.target.closest('.prose sup.note-ref a');
    if (!link || wide.matches || link.closest('.sidenote, .note-inline')) return;
    var prose = link.closest('.prose');
    var n = link.getAttribute('href').replace('#fn-', '');
    var aside = null;
    prose.querySelectorAll('.sidenote').forEach(function (a) {
      if (noteNumber(a) === n) aside = a;
    });
    if (!aside) return;
    ev.preventDefault();
    var sup = link.parentNode;
    var open = sup.nextElementSibling;
    if (open && open.classList.contains('note-inline')) {
      open.remove();
      link.setAttribute('aria-expanded', 'false');
      return;
    }
    var note = document.createElement('span');
    note.className = 'note-inline';
    note.setAttribute('role', 'note');
    note.id = 'note-inline-' + (link.id || n);
    aside.childNodes.forEach(function (c) { note.appendChild(c.cloneNode(true)); });
    sup.after(note);
    link.setAttribute('aria-expanded', 'true');
    link.setAttribute('aria-controls', note.id);
  });

  /* ------------------------------------------------------------ text */

  // Every text this script writes comes from the page, in its language (the `js_` keys of
  // the theme's i18n/LANG.yaml, in <script id="scholia-text">): none is written here.
  var TEXT = {};
  try {
    TEXT = JSON.parse(document.getElementById('scholia-text').textContent);
  } catch (e) { /* a theme without the element: texts are empty */ }
  // `key`'s text with `{name}` replaced by `vars.name`; a count's form follows the
  // language's plural rules (CLDR, as the i18n files name them: one, few, many, other…).
  function t(key, vars) {
    var s = TEXT[key];
    if (vars && typeof vars.n === 'number') {
      var cat = 'other';
      try { cat = new Intl.PluralRules(TEXT.lang || undefined).select(vars.n); } catch (e) { /* keep other */ }
      s = TEXT[key + '.' + cat] || TEXT[key + '.other'] || s;
    }
    s = s || '';
    Object.keys(vars || {}).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
    return s;
  }

  /* ------------------------------------------------------------ glossary hover cards */

  var KIND = { body: t('card_body'), treaty: t('card_treaty') };
  var card = null;
  var cardFor = null;
  // The link whose card Escape closed: it stays closed until the pointer or focus leaves.
  var dismissed = null;

  function makeCard() {
    card = document.createElement('div');
    card.className = 'gl-card';
    card.id = 'gl-card';
    card.setAttribute('role', 'tooltip');
    card.hidden = true;
    // Inside the main landmark, where the links are; no ancestor there is positioned, so
    // the card's coordinates stay the document's.
    (document.querySelector('main') || document.body).appendChild(card);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function showCard(link) {
    if (cardFor === link) return;
    hideCard();
    if (!card) makeCard();
    var d = link.dataset;
    card.textContent = '';
    card.className = 'gl-card gl-card-' + (d.kind || 'body');
    card.appendChild(el('p', 'gl-card-kind', KIND[d.kind] || d.kind || ''));
    card.appendChild(el('p', 'gl-card-name', d.name || link.textContent));
    if (d.facts) {
      var dl = el('dl', 'gl-card-facts');
      d.facts.split(' · ').forEach(function (f) {
        var i = f.indexOf(': ');
        if (i < 0) return;
        dl.appendChild(el('dt', null, f.slice(0, i)));
        dl.appendChild(el('dd', null, f.slice(i + 2)));
      });
      card.appendChild(dl);
    }
    if (d.summary) card.appendChild(el('p', 'gl-card-summary', d.summary));
    // A treaty's status on the date of the commentary (and later, where different).
    if (d.status) card.appendChild(el('p', 'gl-card-status', d.status));
    // The card replaces the native tooltip while it shows.
    if (link.hasAttribute('title')) {
      link.dataset.title = link.getAttribute('title');
      link.removeAttribute('title');
    }
    link.setAttribute('aria-describedby', 'gl-card');
    card.hidden = false;
    cardFor = link;
    positionCard(link);
  }

  function positionCard(link) {
    var margin = 8;
    var rects = link.getClientRects();
    var r = rects.length ? rects[0] : link.getBoundingClientRect();
    var vw = document.documentElement.clientWidth;
    var vh = window.innerHeight;
    card.style.maxWidth = Math.min(352, vw - 2 * margin) + 'px';
    var w = card.offsetWidth;
    var h = card.offsetHeight;
    var left = Math.min(Math.max(margin, r.left), vw - w - margin);
    var top = r.bottom + 6;
    if (top + h > vh - margin && r.top - 6 - h >= margin) top = r.top - 6 - h;
    card.style.left = left + window.scrollX + 'px';
    card.style.top = top + window.scrollY + 'px';
  }

  function hideCard() {
    if (!cardFor) return;
    var link = cardFor;
    cardFor = null;
    card.hidden = true;
    link.removeAttribute('aria-describedby');
    if (link.dataset.title != null) {
      link.setAttribute('title', link.dataset.title);
      delete link.dataset.title;
    }
  }

  function glossaryLink(t) {
    return t && t.closest ? t.closest('a.gl') : null;
  }

  document.addEventListener('mouseover', function (ev) {
    var link = glossaryLink(ev.target);
    if (link && link !== dismissed) showCard(link);
  });
  document.addEventListener('mouseout', function (ev) {
    var link = glossaryLink(ev.target);
    if (!link || link.contains(ev.relatedTarget)) return;
    if (link === dismissed && document.activeElement !== link) dismissed = null;
    if (link === cardFor && document.activeElement !== link) hideCard();
  });
  document.addEventListener('focusin', function (ev) {
    var link = glossaryLink(ev.target);
    if (link) showCard(link);
    else hideCard();
  });
  document.addEventListener('focusout', function (ev) {
    var link = glossaryLink(ev.target);
    if (link === dismissed) dismissed = null;
    if (link === cardFor) hideCard();
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && cardFor) {
      dismissed = cardFor;
      hideCard();
    }
  });
  window.addEventListener('scroll', function () { if (cardFor) positionCard(cardFor); }, { passive: true });

  /* ------------------------------------------------------------ search */

  // Must fold words exactly as `term` in src/search.rs does.
  var STOP = ('a an and are as at be but by for from had has have he her his in into is it its of on or ' +
    'that the their them there these they this to was were which with').split(' ');
  var EXCLUDED = 'ÆæÐðØøÞþßĐđĦħıĲĳĸĿŀŁłŊŋŒœŦŧ';
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;

  function normTerm(word) {
    var t = '';
    for (var ch of word) {
      var code = ch.codePointAt(0);
      if (code < 128) {
        t += ch.toLowerCase();
      } else if (code >= 0xc0 && code <= 0x17f && EXCLUDED.indexOf(ch) < 0) {
        var f = ch.normalize('NFKD').replace(/\p{M}/gu, '');
        t += /^[A-Za-z]$/.test(f) ? f.toLowerCase() : ch.toLowerCase();
      } else {
        t += ch.toLowerCase();
      }
    }
    if (t.length > 4 && /ies$/.test(t)) t = t.slice(0, -3) + 'y';
    else if (t.length > 3 && /s$/.test(t) && !/(ss|us|is)$/.test(t)) t = t.slice(0, -1);
    var short = [...t].length < 2 && !/^\d+$/.test(t);
    return short || STOP.indexOf(t) >= 0 ? null : t;
  }

  // Scripts written without spaces (Han, kana, Thai): as `words` in src/search.rs, each run
  // is cut into overlapping pairs of characters, so a query of two characters or more
  // finds every page containing it.
  var UNSPACED = /[\u0E00-\u0E7F\u3040-\u30FF\u31F0-\u31FF\uFF66-\uFF9F\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u3005-\u3007\u{20000}-\u{2FA1F}]/u;

  function segments(word) {
    if (!UNSPACED.test(word)) return [word];
    var chars = Array.from(word);
    var out = [];
    var run = '';
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (UNSPACED.test(c)) {
        if (run) { out.push(run); run = ''; }
        var next = chars[i + 1];
        var prev = chars[i - 1];
        if (next && UNSPACED.test(next)) out.push(c + next);
        else if (!prev || !UNSPACED.test(prev)) out.push(c);
      } else {
        run += c;
      }
    }
    if (run) out.push(run);
    return out;
  }

  function queryTerms(q) {
    var out = [];
    (q.match(WORD) || []).forEach(function (w) {
      // Words split where the index splits them: on anything not a letter or digit.
      w.split(/[^\p{L}\p{N}]+/u).forEach(function (p) {
        (p ? segments(p) : []).forEach(function (s) {
          var t = normTerm(s);
          if (t && out.indexOf(t) < 0) out.push(t);
        });
      });
    });
    return out;
  }

  // The ranges of `w` (a WORD match) that are query terms: the whole word, or in unspaced
  // script every pair of characters that is a term.
  function matches(w, terms) {
    if (!UNSPACED.test(w)) {
      var t = normTerm(w);
      return t && terms.indexOf(t) >= 0 ? [[0, w.length]] : [];
    }
    var out = [];
    var at = 0;
    var chars = Array.from(w);
    for (var i = 0; i < chars.length; i++) {
      var pair = chars[i] + (chars[i + 1] || '');
      if (chars[i + 1] && terms.indexOf(normTerm(pair)) >= 0) {
        var last = out[out.length - 1];
        var end = at + pair.length;
        if (last && last[1] >= at) last[1] = Math.max(last[1], end);
        else out.push([at, end]);
      }
      at += chars[i].length;
    }
    return out;
  }

  async function fetchData(url) {
    var res = await fetch(url);
    if (!res.ok) throw new Error(url + ': ' + res.status);
    var bytes = new Uint8Array(await res.arrayBuffer());
    // Files are gzipped at build time; a host may already have inflated them.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  function Index(base) {
    this.base = base;
    this.manifest = null;
    this.shards = {};
  }
  Index.prototype.postings = async function (term) {
    if (!this.manifest) this.manifest = await fetchData(this.base + 'index.json');
    var firsts = this.manifest.shards;
    var lo = 0, hi = firsts.length - 1, n = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= term) { n = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (n < 0) return [];
    if (!this.shards[n]) this.shards[n] = fetchData(this.base + 't/' + n + '.json.gz');
    var shard = await this.shards[n];
    return Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : [];
  };
  // Documents ranked: those with every word first, then by summed weight × rarity.
  Index.prototype.search = async function (terms) {
    var self = this;
    var lists = await Promise.all(terms.map(function (t) { return self.postings(t); }));
    var docs = this.manifest.docs;
    var score = new Map();
    var hits = new Map();
    lists.forEach(function (list) {
      var df = list.length / 2;
      if (!df) return;
      var idf = Math.log(1 + docs / df);
      var id = 0;
      for (var i = 0; i < list.length; i += 2) {
        id += list[i];
        score.set(id, (score.get(id) || 0) + list[i + 1] * idf);
        hits.set(id, (hits.get(id) || 0) + 1);
      }
    });
    var ids = Array.from(score.keys());
    ids.sort(function (a, b) {
      return (hits.get(b) - hits.get(a)) || (score.get(b) - score.get(a)) || (a - b);
    });
    var all = ids.filter(function (id) { return hits.get(id) === terms.length; }).length;
    return { ids: ids, all: all };
  };
  Index.prototype.doc = function (id) {
    return fetchData(this.base + 'd/' + id + '.json.gz');
  };

  // Appends `text` to `parent`, each word that is a query term inside <mark>.
  function highlight(parent, text, terms) {
    var last = 0;
    text.replace(WORD, function (w, at) {
      matches(w, terms).forEach(function (r) {
        parent.appendChild(document.createTextNode(text.slice(last, at + r[0])));
        parent.appendChild(el('mark', null, w.slice(r[0], r[1])));
        last = at + r[1];
      });
      return w;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // About `size` characters of `text` around its first match, cut at spaces.
  function excerpt(text, terms, size) {
    var at = -1;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var r = matches(m[0], terms);
      if (r.length) { at = m.index + r[0][0]; break; }
    }
    WORD.lastIndex = 0;
    if (at < 0) return null;
    var start = Math.max(0, at - Math.floor(size / 3));
    // Cut at a space before the match (text without spaces is cut anywhere).
    var space = start > 0 ? text.indexOf(' ', start) : -1;
    if (space >= 0 && space < at) start = space + 1;
    var end = Math.min(text.length, start + size);
    if (end < text.length) end = text.lastIndexOf(' ', end) > at ? text.lastIndexOf(' ', end) : end;
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  var KINDS = { commentary: t('kind_commentary'), body: t('kind_body'), treaty: t('kind_treaty') };
  var PAGE = 10;

  function renderResult(doc, terms) {
    var li = el('li', 'result result-' + doc.k);
    var meta = el('p', 'result-meta', KINDS[doc.k] || doc.k);
    if (doc.d) meta.appendChild(document.createTextNode(' · ' + doc.d));
    var h = el('h2', 'result-title');
    var a = el('a');
    a.href = doc.u;
    highlight(a, doc.t, terms);
    h.appendChild(a);
    li.appendChild(h);
    li.appendChild(meta);
    var p = el('p', 'result-excerpt');
    highlight(p, excerpt(doc.x, terms, 240) || doc.s, terms);
    li.appendChild(p);
    return li;
  }

  async function runSearch(box) {
    var q = new URLSearchParams(window.location.search).get('q') || '';
    document.querySelectorAll('input[name="q"]').forEach(function (i) { i.value = q; });
    if (!q.trim()) return;
    document.title = q + ' · ' + document.title;
    var terms = queryTerms(q);
    var status = el('p', 'search-status');
    box.textContent = '';
    box.appendChild(status);
    if (!terms.length) {
      status.textContent = t('short_query');
      return;
    }
    status.textContent = t('searching');
    var index = new Index(box.dataset.index);
    var found;
    try {
      found = await index.search(terms);
    } catch (e) {
      status.textContent = t('index_failed', { error: e.message });
      return;
    }
    var ids = found.all ? found.ids.slice(0, found.all) : found.ids;
    if (!ids.length) {
      status.textContent = t('no_match', { q: q });
      return;
    }
    status.textContent = found.all
      ? t('results', { n: found.all, q: q })
      : t('some_words', { n: ids.length, q: q });
    var list = el('ol', 'results');
    box.appendChild(list);
    var more = el('button', 'more-results', t('more'));
    more.type = 'button';
    var shown = 0;
    async function next() {
      more.disabled = true;
      var page = ids.slice(shown, shown + PAGE);
      var docs = await Promise.all(page.map(function (id) { return index.doc(id); }));
      docs.forEach(function (d) { list.appendChild(renderResult(d, terms)); });
      shown += page.length;
      more.disabled = false;
      if (shown >= ids.length) more.remove();
    }
    more.addEventListener('click', next);
    box.appendChild(more);
    await next();
  }

  /* ------------------------------------------------------------ start */

  placeSidenotes();
  window.addEventListener('resize', schedulePlacing);
  window.addEventListener('load', schedulePlacing);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(schedulePlacing);
  if (wide.addEventListener) wide.addEventListener('change', schedulePlacing);
  var box = document.getElementById('search-results');
  if (box) {
    runSearch(box)
      .catch(function (e) { box.textContent = t('failed', { error: e.message }); })
      // Marks the end of the search, whatever its outcome (the browser tests wait for it).
      .finally(function () { box.dataset.ready = 'true'; });
  }
})();
