// Bytes a reader downloads for one search query, in headless Chromium, for Scholia's own
// index and for Pagefind over the same built site. Run by bench/search.py:
//
//   node bench/search_bytes.mjs SITE_DIR QUERY...
//
// SITE_DIR holds a Scholia build with Pagefind's output in SITE_DIR/pagefind/. For each query,
// each engine runs in a fresh browser context (empty cache) and every response body it
// fetches for search is counted as served by a plain static server (no transfer
// compression; both engines store their index files gzipped already):
// - Scholia: scholia.js, search/index.json, the shards of the query's words, and the
//   documents of the first 10 results (what the results page shows);
// - Pagefind: pagefind.js and everything it loads (entry, WebAssembly, metadata, index
//   chunks, filters), and the fragments of the first 10 results (`result.data()`).
// Prints one JSON line per query and engine.

import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/browser/package.json'));
const { chromium } = require('playwright-core');

const [siteArg, ...queries] = process.argv.slice(2);
const SITE = path.resolve(siteArg);
const server = createServer(async (req, res) => {
  try {
    let file = path.join(SITE, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(SITE)) throw new Error('outside');
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const body = await readFile(file);
    const type = file.endsWith('.js') || file.endsWith('.mjs') ? 'text/javascript'
      : file.endsWith('.html') ? 'text/html' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': body.length });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const BASE = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

async function measure(engine, q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  page.on('response', async (r) => {
    const p = new URL(r.url()).pathname;
    const counted = engine === 'scholia' ? p === '/scholia.js' || p.startsWith('/search/') && p !== '/search/'
      : p.startsWith('/pagefind/');
    if (!counted) return;
    try {
      fetched.push({ path: p, bytes: (await r.body()).length });
    } catch {
      // A redirect has no body.
    }
  });
  let results;
  const t0 = Date.now();
  if (engine === 'scholia') {
    await page.goto(`${BASE}/search/?q=${encodeURIComponent(q)}`);
    await page.waitForSelector('#search-results[data-ready]', { state: 'attached', timeout: 60000 });
    results = await page.locator('.results .result-title').allInnerTexts();
  } else {
    // A page of the site without Scholia's own search page, so that only Pagefind loads.
    await page.goto(`${BASE}/glossary/`);
    results = await page.evaluate(async (q) => {
      const pagefind = await import('/pagefind/pagefind.js');
      const s = await pagefind.search(q);
      const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
      return data.map((d) => d.meta.title);
    }, q);
  }
  const ms = Date.now() - t0;
  await page.waitForTimeout(200);
  await context.close();
  const bytes = fetched.reduce((a, f) => a + f.bytes, 0);
  return { engine, query: q, requests: fetched.length, bytes, ms, first: results[0] || null, shown: results.length };
}

for (const q of queries) {
  for (const engine of ['scholia', 'pagefind']) {
    console.log(JSON.stringify(await measure(engine, q)));
  }
}
await browser.close();
server.close();
