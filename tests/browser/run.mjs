// Browser tests of the default theme, in headless Chromium (Debian's /usr/bin/chromium).
//
//   node run.mjs --site DIR [--demo DEMO] [--out ARTIFACTS] [--chromium PATH]
//
// DIR is a site built from tests/fixtures/reader (tests/it/browser.rs builds it and runs this
// script); DEMO, the repository's demo site built, whose every commentary page axe checks
// too (the reader fixture has no bibliography, so works cited went unchecked). The script serves DIR on a free loopback port, checks sidenotes, glossary cards,
// search, keyboard use, print and axe-core at several widths, saves screenshots and axe
// results in ARTIFACTS, and ends with the line `N passed, N failed`. Exit status 1 on failure.

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, readdir, mkdir, writeFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
if (!args.site) {
  console.error('error: --site DIR is required (a site built from tests/fixtures/reader)');
  process.exit(2);
}
const SITE = path.resolve(args.site);
const OUT = path.resolve(args.out || 'browser-artifacts');
const CHROMIUM = args.chromium || '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const AXE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
await mkdir(OUT, { recursive: true });

// ------------------------------------------------------------------ static server

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.gz': 'application/gzip', '.xml': 'application/xml',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain',
};
const DEMO = args.demo ? path.resolve(args.demo) : null;
// LANGS: a site built from tests/fixtures/languages (English, Chinese, Arabic) at base URL `/`.
const LANGS = args.langs ? path.resolve(args.langs) : null;
const serveDir = (root) => createServer(async (req, res) => {
  try {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, p);
    if (!file.startsWith(root)) throw new Error('outside');
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
});
const server = serveDir(SITE);
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const BASE = `http://127.0.0.1:${server.address().port}`;
const demoServer = DEMO && serveDir(DEMO);
if (demoServer) await new Promise((ok) => demoServer.listen(0, '127.0.0.1', ok));
const DEMO_BASE = demoServer && `http://127.0.0.1:${demoServer.address().port}`;
const langsServer = LANGS && serveDir(LANGS);
if (langsServer) await new Promise((ok) => langsServer.listen(0, '127.0.0.1', ok));
const LANGS_BASE = langsServer && `http://127.0.0.1:${langsServer.address().port}`;

// ------------------------------------------------------------------ harness

let passed = 0;
let failed = 0;
const problems = [];
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e && e.stack || e).split('\n').slice(0, 4).join('\n     ')}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
});

// Every page opened records console errors, uncaught exceptions and failed requests.
const consoleErrors = [];
async function open(url, { width = 1400, height = 900, scheme = 'light', js = true, base = BASE } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    colorScheme: scheme,
    javaScriptEnabled: js,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(`${url}: ${e.message}`));
  // The theme ships no icon (a site adds content/static/favicon.ico): Chromium's own request
  // for one is not the page's error.
  const icon = (u) => new URL(u).pathname === '/favicon.ico';
  page.on('console', (m) => { if (m.type() === 'error' && !(m.location().url && icon(m.location().url))) consoleErrors.push(`${url}: ${m.text()} ${m.location().url || ''}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !icon(r.url())) consoleErrors.push(`${url}: ${r.status()} ${r.url()}`); });
  await page.goto(base + url, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts && document.fonts.ready);
  // Two frames for scholia.js to place the notes again after fonts and load.
  if (js) await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  return page;
}
async function shot(page, name, opts = {}) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), ...opts });
}

const COMMENTARY = '/commentaries/data-export/';
const ENTRY = '/glossary/bodies/cac/';
const TREATY = '/glossary/treaties/budapest-convention/';

// Rectangles of each margin note, its first reference, and the text column.
function noteGeometry(page) {
  return page.evaluate(() => {
    const prose = document.querySelector('.prose');
    const col = prose.getBoundingClientRect();
    // The baseline of the line at `node`: where an empty inline-block's bottom sits.
    const baseline = (node) => {
      const probe = document.createElement('span');
      probe.style.cssText = 'display:inline-block;width:0;height:0';
      node.parentNode.insertBefore(probe, node);
      const y = probe.getBoundingClientRect().bottom;
      probe.remove();
      return y;
    };
    return {
      col: { left: col.left, right: col.right },
      notes: [...prose.querySelectorAll('.sidenote')].map((aside) => {
        const n = aside.querySelector('.sidenote-number').textContent.trim();
        const ref = [...prose.querySelectorAll(`sup.note-ref a[href="#fn-${n}"]`)].find((a) => !a.closest('.sidenote'));
        const r = aside.getBoundingClientRect();
        const f = ref.getBoundingClientRect();
        const display = getComputedStyle(aside).display;
        const shown = display !== 'none';
        return {
          n, top: r.top, bottom: r.bottom, left: r.left, right: r.right, display, refTop: f.top,
          noteBase: shown ? baseline(aside.querySelector('.sidenote-number')) : null,
          refBase: baseline(ref.closest('sup')),
        };
      }),
    };
  });
}

// ------------------------------------------------------------------ sidenotes

await test('1400px: sidenotes sit in the margin, on the baseline of their reference or pushed below the previous note', async () => {
  const page = await open(COMMENTARY, { width: 1400 });
  const { col, notes } = await noteGeometry(page);
  assert(notes.length === 5, `expected 5 notes, found ${notes.length}`);
  let aligned = 0;
  notes.forEach((n, i) => {
    assert(n.display === 'block', `note ${n.n} is not shown`);
    assert(n.left >= col.right + 16, `note ${n.n} overlaps the text (left ${n.left}, text ends ${col.right})`);
    assert(n.right <= 1400, `note ${n.n} runs off the screen (right ${n.right})`);
    assert(n.noteBase >= n.refBase - 1.5, `note ${n.n} starts above its reference (baseline ${n.noteBase} < ${n.refBase})`);
    if (Math.abs(n.noteBase - n.refBase) <= 1.5) aligned++;
    else {
      const prev = notes[i - 1];
      assert(prev && Math.abs(n.top - (prev.bottom + 12)) <= 2, `note ${n.n} is neither level with its reference (baseline ${n.noteBase} vs ${n.refBase}) nor just below note ${prev && prev.n}`);
    }
    if (i > 0) assert(n.top >= notes[i - 1].bottom, `note ${n.n} overlaps note ${notes[i - 1].n}`);
  });
  assert(aligned >= 3, `only ${aligned} notes are level with their reference`);
  await shot(page, 'commentary-1400-light', { fullPage: true });
  await page.context().close();
});

await test('1400px without JavaScript: sidenotes float in the margin without overlapping, a one-paragraph note level with the line of its reference', async () => {
  const page = await open(COMMENTARY, { width: 1400, js: false });
  const { col, notes } = await noteGeometry(page);
  const inline = await page.evaluate(() => [...document.querySelectorAll('.prose span.sidenote .sidenote-number')].map((e) => e.textContent.trim()));
  assert(inline.length >= 2, `only ${inline.length} one-paragraph notes follow their reference`);
  let level = 0;
  notes.forEach((n, i) => {
    assert(n.display === 'block' && n.left >= col.right + 16, `note ${n.n} is not in the margin`);
    if (i > 0) assert(n.top >= notes[i - 1].bottom, `note ${n.n} overlaps note ${notes[i - 1].n}`);
    // Floats stack: a note pushed down by the one before it lands on the first line below
    // that note (within a line and its gap), never above its reference.
    if (inline.includes(n.n)) {
      assert(n.noteBase >= n.refBase - 1.5, `note ${n.n} starts above its reference line`);
      const pushed = i > 0 && n.top >= notes[i - 1].bottom && n.top - notes[i - 1].bottom <= 50 && n.top > n.refTop;
      if (Math.abs(n.noteBase - n.refBase) <= 1.5 || pushed) level++;
    }
  });
  assert(level === inline.length, `${inline.length - level} one-paragraph notes are neither level with their reference nor just below the note before: ${JSON.stringify(notes)}`);
  assert(notes.filter((n) => Math.abs(n.noteBase - n.refBase) <= 1.5).length >= 3, 'fewer than 3 notes level with their reference');
  await page.context().close();
});

await test('400px: sidenotes hidden, a tap on a note number opens the note below the line, a second tap closes it', async () => {
  const page = await open(COMMENTARY, { width: 400, height: 800 });
  const { notes } = await noteGeometry(page);
  assert(notes.every((n) => n.display === 'none'), 'margin notes show on a narrow screen');
  const ref = page.locator('.prose sup.note-ref a[href="#fn-1"]').first();
  await ref.click();
  const inline = page.locator('.prose .note-inline');
  assert((await inline.count()) === 1, 'no inline note after the tap');
  const [r, n] = [await ref.boundingBox(), await inline.boundingBox()];
  assert(n.y >= r.y + r.height - 2, `the note (y ${n.y}) is not below the reference (y ${r.y})`);
  assert(n.x >= 0 && n.x + n.width <= 400, 'the inline note does not fit the screen');
  assert((await inline.innerText()).includes('22 March 2024'), 'the inline note has the wrong text');
  assert((await ref.getAttribute('aria-expanded')) === 'true', 'aria-expanded not set');
  assert(new URL(page.url()).hash === '', 'the tap also jumped to the notes list');
  await shot(page, 'commentary-400-note-open');
  await ref.click();
  assert((await inline.count()) === 0, 'the second tap did not close the note');
  assert(await page.locator('.endnotes li#fn-5').isVisible(), 'the notes list is missing');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(overflow <= 400, `page scrolls sideways (${overflow}px wide)`);
  await shot(page, 'commentary-400-light', { fullPage: true });
  await page.context().close();
});

// ------------------------------------------------------------------ hover cards

for (const width of [1400, 400]) {
  await test(`${width}px: glossary card shows on keyboard focus and on hover, inside the viewport; Escape hides it`, async () => {
    const page = await open(COMMENTARY, { width, height: 800 });
    const link = page.locator('.prose a.gl-body').first();
    await link.focus();
    const card = page.locator('#gl-card');
    assert(await card.isVisible(), 'no card on focus');
    const text = await card.innerText();
    for (const want of ['Body', 'Cyberspace Administration of China', 'Jurisdiction', 'China', 'Established', '26 August 2014', 'regulator']) {
      assert(text.includes(want), `card lacks “${want}”: ${text}`);
    }
    assert((await link.getAttribute('aria-describedby')) === 'gl-card', 'card not tied to the link');
    const box = await card.boundingBox();
    const view = await page.evaluate(() => ({ top: window.scrollY, h: window.innerHeight }));
    assert(box.x >= 0 && box.x + box.width <= width, `card outside the viewport horizontally (${box.x}, ${box.width})`);
    assert(box.y >= view.top && box.y + box.height <= view.top + view.h, 'card outside the viewport vertically');
    if (width === 1400) await shot(page, 'hover-card-1400');
    await page.keyboard.press('Escape');
    assert(!(await card.isVisible()), 'Escape did not hide the card');
    await link.hover();
    assert(!(await card.isVisible()), 'the card came back under the pointer after Escape');
    assert((await link.getAttribute('title')) !== null, 'the title was not restored');
    // Hover, on a treaty this time.
    const treaty = page.locator('.prose a.gl-treaty').first();
    await treaty.scrollIntoViewIfNeeded();
    await treaty.hover();
    assert(await card.isVisible(), 'no card on hover');
    const t2 = await card.innerText();
    assert(t2.includes('Treaty') && t2.includes('Adopted') && t2.includes('In force'), `treaty card lacks facts: ${t2}`);
    await page.mouse.move(0, 0);
    assert(!(await card.isVisible()), 'card stays after the pointer left');
    await page.context().close();
  });
}

await test('without JavaScript the glossary links keep their title', async () => {
  const page = await open(COMMENTARY, { js: false });
  const title = await page.locator('.prose a.gl-body').first().getAttribute('title');
  assert(title && title.startsWith('Cyberspace Administration of China:'), `title is ${title}`);
  await page.context().close();
});

// ------------------------------------------------------------------ search

async function searchTitles(page) {
  await page.waitForSelector('#search-results[data-ready]', { state: 'attached', timeout: 10000 });
  return page.locator('.results .result-title').allInnerTexts();
}

await test('search: a query returns the expected commentary first, with highlighted excerpts', async () => {
  const page = await open('/search/?q=security+reviews');
  const titles = await searchTitles(page);
  assert(titles[0] === 'Data export rules, relaxed', `first result is ${titles[0]} (${titles.join(' | ')})`);
  const marks = await page.locator('.results .result-excerpt mark').allInnerTexts();
  assert(marks.some((m) => /^securit/i.test(m)), `no highlighted match: ${marks}`);
  assert((await page.locator('#search-page-q').inputValue()) === 'security reviews', 'query not kept in the box');
  await shot(page, 'search-1400');
  await page.context().close();
});

await test('search: glossary entries are found by name and by alias, plurals fold', async () => {
  const page = await open('/search/?q=Budapest');
  const titles = await searchTitles(page);
  assert(titles[0] === 'Convention on Cybercrime', `first result is ${titles[0]}`);
  await page.goto(BASE + '/search/?q=appeals');
  const t2 = await searchTitles(page);
  assert(t2.includes('The Appellate Body, four years on') || t2.includes('World Trade Organization (WTO)'), `appeals: ${t2}`);
  // Accents fold the same way in the index (Rust) and in the query (scholia.js).
  for (const q of ['Curaçao', 'CURACAO']) {
    await page.goto(BASE + '/search/?q=' + encodeURIComponent(q));
    const t = await searchTitles(page);
    assert(t[0] === 'Targets under the Paris Agreement', `${q}: ${t}`);
    assert((await page.locator('.result-excerpt mark').first().innerText()) === 'Curaçao', `${q}: no highlight`);
  }
  await page.goto(BASE + '/search/?q=zzzqqq');
  await searchTitles(page);
  assert((await page.locator('.search-status').innerText()).includes('Nothing matches'), 'no “nothing matches” message');
  await page.context().close();
});

await test('search: the box in the header of every page leads to results', async () => {
  const page = await open(ENTRY, { width: 400, height: 800 });
  await page.fill('#site-search-q', 'appellate arbitration');
  await Promise.all([page.waitForURL(/\/search\/\?q=/), page.press('#site-search-q', 'Enter')]);
  const titles = await searchTitles(page);
  assert(titles[0] === 'The Appellate Body, four years on', `first result is ${titles[0]}`);
  await shot(page, 'search-400');
  await page.context().close();
});

// ------------------------------------------------------------------ keyboard, zoom, print

await test('keyboard: the first Tab shows the skip link, which moves focus to the content; focus is visible', async () => {
  const page = await open(COMMENTARY);
  await page.keyboard.press('Tab');
  const skip = page.locator('.skip-link');
  assert(await skip.evaluate((e) => e === document.activeElement), 'the skip link is not first');
  const box = await skip.boundingBox();
  assert(box.y >= 0, 'the focused skip link is off screen');
  await page.keyboard.press('Enter');
  assert(await page.evaluate(() => document.activeElement.id === 'main'), 'focus did not move to main');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return `${s.outlineStyle} ${s.outlineWidth}`;
  });
  assert(!outline.startsWith('none') && !outline.endsWith(' 0px'), `no visible focus: ${outline}`);
  await page.context().close();
});

for (const width of [640, 320]) {
  await test(`reflow at ${width}px (200 % and 400 % zoom of a 1280px window): nothing scrolls sideways`, async () => {
    for (const url of ['/', COMMENTARY, '/glossary/', ENTRY, TREATY, '/timeline/', '/search/?q=data']) {
      const page = await open(url, { width, height: 700 });
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(w <= width, `${url} is ${w}px wide`);
      await page.context().close();
    }
  });
}

await test('paragraph links: hidden until the paragraph is hovered or the ¶ has keyboard focus, then in the left margin', async () => {
  for (const width of [1400, 400]) {
    const page = await open(COMMENTARY, { width });
    const para = page.locator('.prose > p[id]').first();
    const id = await para.getAttribute('id');
    const link = para.locator('> a.pilcrow');
    assert(await link.getAttribute('href') === `#${id}`, `¶ of #${id} links to ${await link.getAttribute('href')}`);
    const opacity = () => link.evaluate((a) => getComputedStyle(a).opacity);
    assert(await opacity() === '0', `${width}px: ¶ shown before hover or focus`);
    await page.mouse.move(0, 0);
    await para.hover();
    assert(await opacity() === '1', `${width}px: ¶ not shown on hover`);
    await page.mouse.move(0, 0);
    // Keyboard: Tab until the ¶ of this paragraph has focus.
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await link.evaluate((a) => document.activeElement === a);
    }
    assert(reached, `${width}px: the ¶ link is not reachable with Tab`);
    assert(await opacity() === '1', `${width}px: ¶ not shown on keyboard focus`);
    const [p, l] = [await para.boundingBox(), await link.boundingBox()];
    assert(l.x + l.width <= p.x + 1 && Math.abs(l.y - p.y) < 4, `${width}px: ¶ at ${JSON.stringify(l)}, paragraph at ${JSON.stringify(p)}`);
    await page.context().close();
  }
});

await test('print: notes as endnotes, no margin notes or search box, glossary links show their URL', async () => {
  const page = await open(COMMENTARY);
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(() => ({
    side: getComputedStyle(document.querySelector('.sidenote')).display,
    search: getComputedStyle(document.querySelector('.site-search')).display,
    endnotes: getComputedStyle(document.querySelector('.endnotes')).display,
    after: getComputedStyle(document.querySelector('.prose a.gl'), '::after').content,
  }));
  assert(r.side === 'none' && r.search === 'none', `margin notes or search box printed: ${JSON.stringify(r)}`);
  assert(r.endnotes === 'block', 'endnotes not printed');
  assert(r.after.includes('/glossary/bodies/cac/'), `glossary URL not printed: ${r.after}`);
  await page.pdf({ path: path.join(OUT, 'commentary-print.pdf') });
  await page.context().close();
});

// ------------------------------------------------------------------ charts

for (const scheme of ['light', 'dark']) {
  await test(`400px, ${scheme}: the parties chart and the timeline overview fit the column, with readable labels in the text colour`, async () => {
    for (const [url, sel] of [[TREATY, 'section.parties figure svg'], ['/timeline/', 'figure.chart-figure svg']]) {
      const page = await open(url, { width: 400, height: 800, scheme });
      const r = await page.evaluate((sel) => {
        const svg = document.querySelector(sel);
        const box = svg.getBoundingClientRect();
        const labels = [...svg.querySelectorAll('text')].map((t) => t.getBoundingClientRect().height);
        const color = getComputedStyle(svg.querySelector('text')).fill;
        const bg = getComputedStyle(document.body).backgroundColor;
        return { left: box.left, right: box.right, width: box.width, smallest: Math.min(...labels), color, bg,
          described: !!svg.querySelector('desc') && svg.getAttribute('role') === 'img' };
      }, sel);
      assert(r.left >= 0 && r.right <= 400, `${url}: chart outside the screen (${r.left}–${r.right})`);
      assert(r.width >= 250, `${url}: chart too small to read (${r.width}px)`);
      assert(r.smallest >= 9, `${url}: labels ${r.smallest}px high`);
      assert(r.color !== r.bg, `${url}: labels in the background colour`);
      assert(r.described, `${url}: chart without role=img and a description`);
      await shot(page, `chart-400-${scheme}-${url.split('/').filter(Boolean).pop()}`, { fullPage: true });
      await page.context().close();
    }
  });
}

// ------------------------------------------------------------------ axe-core

const AXE_PAGES = { home: '/', commentary: COMMENTARY, 'glossary index': '/glossary/', 'glossary entry': ENTRY, treaty: TREATY, timeline: '/timeline/', search: '/search/?q=data+export' };
const axeReport = [];
for (const [scheme, width] of [['light', 1400], ['dark', 1400], ['light', 400], ['dark', 400]]) {
  await test(`axe-core, ${scheme} scheme, ${width}px: no serious or critical violations`, async () => {
    const bad = [];
    for (const [name, url] of Object.entries(AXE_PAGES)) {
      const page = await open(url, { width, scheme });
      if (url.startsWith('/search/')) await searchTitles(page);
      if (url === COMMENTARY) {
        // Check what the script adds too: an open card, and on narrow screens an open note.
        if (width < 1200) await page.locator('.prose sup.note-ref a[href="#fn-1"]').first().click();
        await page.locator('.prose a.gl-treaty').first().focus();
        assert(await page.locator('#gl-card').isVisible(), 'card not open for axe');
      }
      await page.addScriptTag({ content: AXE });
      const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const counts = { minor: 0, moderate: 0, serious: 0, critical: 0 };
      for (const v of res.violations) counts[v.impact] = (counts[v.impact] || 0) + 1;
      axeReport.push({ page: name, url, scheme, width, passes: res.passes.length, violations: res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, example: v.nodes[0] && v.nodes[0].target.join(' ') })) });
      for (const v of res.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') bad.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      }
      if (scheme === 'dark' && width === 1400 && name === 'commentary') await shot(page, 'commentary-1400-dark');
      if (width === 1400 && scheme === 'light' && name !== 'commentary') await shot(page, `${name.replace(' ', '-')}-1400-light`);
      await page.context().close();
    }
    assert(!bad.length, bad.join('\n'));
  });
}

// Every page of the demo, at 1400px with and without the script: nothing in the margin (notes,
// an entry's facts table) overlaps anything else there.
async function htmlPages(root, dir = '') {
  const out = [];
  for (const d of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...await htmlPages(root, rel));
    else if (d.name === 'index.html') out.push('/' + (dir ? dir.split(path.sep).join('/') + '/' : ''));
  }
  return out.sort();
}
if (DEMO) {
  const urls = await htmlPages(DEMO);
  for (const js of [true, false]) {
    await test(`demo, all ${urls.length} pages at 1400px ${js ? 'with' : 'without'} JavaScript: nothing in the margin overlaps`, async () => {
      assert(urls.length > 30, `only ${urls.length} pages`);
      const bad = [];
      for (const url of urls) {
        const page = await open(url, { width: 1400, js, base: DEMO_BASE });
        const boxes = await page.evaluate(() => [...document.querySelectorAll('.prose .sidenote, .entry > table.facts')]
          .filter((e) => getComputedStyle(e).display !== 'none')
          .map((e) => { const r = e.getBoundingClientRect(); return { what: e.className || e.tagName, top: r.top, bottom: r.bottom, left: r.left, right: r.right }; }));
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i], boxes[j]];
            const apart = a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5 || a.right <= b.left + 0.5 || b.right <= a.left + 0.5;
            if (!apart) bad.push(`${url}: ${a.what} over ${b.what}`);
          }
        }
        await page.context().close();
      }
      assert(!bad.length, bad.slice(0, 10).join('\n') + (bad.length > 10 ? `\n… ${bad.length} in all` : ''));
    });
  }
}

// Every page of the demo, in both schemes (commentaries at two widths: real bibliographies,
// corrections and long notes).
if (DEMO) {
  const urls = await htmlPages(DEMO);
  for (const scheme of ['light', 'dark']) {
    await test(`axe-core on the demo's ${urls.length} pages, ${scheme} scheme: no serious or critical violations`, async () => {
      assert(urls.length >= 40, `only ${urls.length} demo pages`);
      const bad = [];
      for (const url of urls) {
        for (const width of url.startsWith('/commentaries/') ? [1400, 400] : [1400]) {
          const page = await open(url, { width, scheme, base: DEMO_BASE });
          await page.addScriptTag({ content: AXE });
          const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
          axeReport.push({ page: `demo ${url}`, url, scheme, width, passes: res.passes.length, violations: res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, example: v.nodes[0] && v.nodes[0].target.join(' ') })) });
          for (const v of res.violations) {
            if (v.impact === 'serious' || v.impact === 'critical') bad.push(`${url} at ${width}px: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
          }
          await page.context().close();
        }
      }
      assert(!bad.length, bad.join('\n'));
    });
  }
}
// ------------------------------------------------------------------ languages

if (LANGS) {
  await test('languages: the Chinese search finds 网络安全 inside text without spaces, highlighted', async () => {
    const page = await open('/zh/search/?q=' + encodeURIComponent('网络安全'), { base: LANGS_BASE });
    const titles = await searchTitles(page);
    assert(titles.includes('中国成立网络安全和信息化领导小组'), `results: ${titles.join(' | ')}`);
    assert(titles.every((t) => !/[A-Za-z]{4}/.test(t)), `an English page in the Chinese results: ${titles}`);
    const marks = await page.locator('.results mark').allInnerTexts();
    assert(marks.some((m) => m.includes('网络安全')), `no highlighted 网络安全: ${marks}`);
    // The script's messages, kinds and dates come from the page, in its language.
    const status = await page.locator('.search-status').innerText();
    assert(status.includes('条结果') && status.includes('网络安全'), `status: ${status}`);
    const meta = await page.locator('.results .result-meta').allInnerTexts();
    assert(meta.some((m) => /^评论 · \d{4}年\d{1,2}月\d{1,2}日$/.test(m)), `result kinds and dates: ${meta}`);
    await shot(page, 'search-zh-1400');
    await page.goto(LANGS_BASE + '/ar/search/?q=zzzqqq');
    await searchTitles(page);
    const none = await page.locator('.search-status').innerText();
    assert(none.includes('لا شيء يطابق'), `Arabic status: ${none}`);
    await page.context().close();
  });

  await test('languages: a glossary card on a Chinese page names the kind in Chinese', async () => {
    const page = await open('/zh/commentaries/leading-group/', { base: LANGS_BASE });
    const link = page.locator('.prose a.gl-body').first();
    await link.focus();
    const kind = await page.locator('#gl-card .gl-card-kind').innerText();
    assert(kind === '机构', `card kind: ${kind}`);
    await page.context().close();
  });

  // The margin note of the Arabic commentary: in the left margin, with and without the script.
  for (const js of [true, false]) {
    await test(`languages: an Arabic page reads right to left, its margin notes in the left margin (script ${js ? 'on' : 'off'})`, async () => {
      const page = await open('/ar/commentaries/arabic/', { base: LANGS_BASE, js });
      assert((await page.locator('html').getAttribute('dir')) === 'rtl', 'no dir="rtl"');
      const prose = await page.locator('.prose').boundingBox();
      const note = await page.locator('.prose .sidenote').first().boundingBox();
      assert(note && prose, 'no sidenote or no text');
      assert(note.x + note.width <= prose.x + 1, `the note (${note.x}–${note.x + note.width}) is not left of the text (from ${prose.x})`);
      assert(note.x >= 0, `the note is off the page (${note.x})`);
      const align = await page.locator('.prose p').first().evaluate((p) => getComputedStyle(p).direction);
      assert(align === 'rtl', `text direction ${align}`);
      if (js) await shot(page, 'arabic-commentary-1400');
      await page.context().close();
    });
  }

  for (const [scheme, width] of [['light', 1400], ['dark', 1400], ['light', 400]]) {
    await test(`languages: axe-core on Arabic and Chinese pages, ${scheme} scheme, ${width}px: no serious or critical violations`, async () => {
      const bad = [];
      for (const url of ['/ar/commentaries/arabic/', '/ar/', '/ar/about/', '/zh/commentaries/leading-group/', '/zh/glossary/bodies/cac/']) {
        const page = await open(url, { base: LANGS_BASE, width, scheme });
        await page.addScriptTag({ content: AXE });
        const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        axeReport.push({ page: `languages ${url}`, url, scheme, width, passes: res.passes.length, violations: res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, example: v.nodes[0] && v.nodes[0].target.join(' ') })) });
        for (const v of res.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') bad.push(`${url}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
        }
        await page.context().close();
      }
      assert(!bad.length, bad.join('\n'));
    });
  }
}

await writeFile(path.join(OUT, 'axe.json'), JSON.stringify(axeReport, null, 1));

await test('no console errors, uncaught exceptions or failed requests on any page', async () => {
  assert(!consoleErrors.length, consoleErrors.join('\n'));
});

await browser.close();
server.close();
if (demoServer) demoServer.close();
if (langsServer) langsServer.close();
console.log(`axe: ${axeReport.length} page checks, violations by impact: ${JSON.stringify(axeReport.flatMap((r) => r.violations).reduce((a, v) => ({ ...a, [v.impact]: (a[v.impact] || 0) + 1 }), {}))}`);
console.log(`screenshots and axe.json in ${OUT}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
