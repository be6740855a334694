// bench/web.mjs - the dashboard's pages in Debian's chromium (playwright-core), measured
// with the browser's own timings; run by bench/web.sh, which starts the server.
//
//   node bench/web.mjs BASE USER PASSWORD RUNS [PAGES] [PLATFORM_USER PLATFORM_PASSWORD PLATFORM_ORG]
//
// PAGES: the pages to load, comma-separated (default today). Pages the marketplace sees
// only (market) are loaded as PLATFORM_USER, the others as USER. For each page: signs in
// once through the sign-in page, then loads BASE/#/PAGE RUNS times, each in a
// fresh browser context holding only the session cookie (a cold cache, as a person opening
// the dashboard in the morning), and RUNS times more with every /api/v1/ answer replayed
// from memory by the browser itself (recorded in the first run): the ceiling, what the
// page costs when the API costs nothing. Per load:
//   load    the navigation's loadEventEnd (the HTML, scripts and styles; the issue's
//           "first load")
//   ready   the moment the page says it has rendered its data (html[data-ready="1"])
//   api     each /api/v1/ request: requestStart to responseEnd (the server's time plus
//           the transfer; the browser's own queueing left out), their count
// Prints one JSON object: per page, medians of the loads, the API answers' p50/p99/max over
// all runs, and the same for the ceiling (with Today's also at the top level, as before).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [BASE, USER, PASSWORD, RUNS_ARG, PAGES_ARG, PUSER, PPASSWORD, PORG] = process.argv.slice(2);
const RUNS = Number(RUNS_ARG || 5);
const PAGES = (PAGES_ARG || 'today').split(',').filter(Boolean);
const PLATFORM_ONLY = new Set(['market']);
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PW = join(SRC, 'node_modules/playwright-core/index.mjs');
if (!BASE || !USER || !PASSWORD) {
  console.error('usage: node bench/web.mjs BASE USER PASSWORD [RUNS]');
  process.exit(2);
}
if (!existsSync(CHROMIUM) || !existsSync(PW)) {
  console.error(`bench/web.mjs: needs ${CHROMIUM} and ${PW} (scripts/install-deps.sh test)`);
  process.exit(2);
}
const { chromium } = await import(PW);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
const VIEW = { viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'en-US' };
const TIMEOUT = Number(process.env.BENCH_TIMEOUT_MS || 600000);

// ---- sign in once per user; every measured load starts from this cookie alone
async function signIn(user, password, org) {
  const first = await browser.newContext(VIEW);
  const sp = await first.newPage();
  await sp.goto(BASE + '/');
  await sp.waitForSelector('html[data-ready="1"][data-page="signin"]', { timeout: TIMEOUT });
  await sp.fill('#signin-name', user);
  await sp.fill('#signin-password', password);
  if (org) await sp.fill('#signin-org', org);
  await sp.click('#signin-submit');
  await sp.waitForSelector('html[data-ready="1"][data-page="today"]', { timeout: TIMEOUT });
  const c = (await first.storageState()).cookies;
  await first.close();
  return c;
}

// The moment the page marks itself ready, in the page's own clock (ms since navigation).
// (An init script runs before <html> exists: the whole document is watched.)
function watchReady(want) {
  new MutationObserver(() => {
    const h = document.documentElement;
    if (h && h.dataset.ready === '1' && h.dataset.page === want && !window.__readyAt)
      window.__readyAt = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready', 'data-page'] });
}

let recorded = new Map(); // url -> {status, contentType, body}, per page

async function load(page_id, cookies, replay) {
  const ctx = await browser.newContext(VIEW);
  await ctx.addCookies(cookies);
  await ctx.addInitScript(watchReady, page_id);
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => problems.push('failed: ' + r.url()));
  if (replay) {
    await page.route('**/api/v1/**', (route) => {
      const r = recorded.get(route.request().url());
      if (!r) return route.continue();
      return route.fulfill({ status: r.status, contentType: r.contentType, body: r.body });
    });
  } else if (!recorded.size) {
    page.on('response', async (r) => {
      if (!r.url().includes('/api/v1/')) return;
      try {
        recorded.set(r.url(), { status: r.status(), contentType: r.headers()['content-type'], body: await r.body() });
      } catch { /* a 304 or an aborted answer has no body to keep */ }
    });
  }
  await page.goto(BASE + '/#/' + page_id);
  await page.waitForFunction(() => window.__readyAt, null, { timeout: TIMEOUT, polling: 20 });
  const m = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const api = performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/v1/'))
      .map((e) => ({ path: new URL(e.name).pathname.replace('/api/v1', ''),
        ms: e.requestStart > 0 ? e.responseEnd - e.requestStart : e.duration }));
    return { load: nav.loadEventEnd, ready: window.__readyAt, api };
  });
  await ctx.close();
  if (problems.length) throw new Error('the page had problems: ' + problems.join('; '));
  return m;
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[(s.length - 1) >> 1] : null; };
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : null; };
function summary(loads) {
  const calls = loads.flatMap((l) => l.api);
  const api = calls.map((c) => c.ms);
  const byPath = new Map();
  for (const c of calls) byPath.set(c.path, [...(byPath.get(c.path) || []), c.ms]);
  const slowest = [...byPath].map(([path, ms]) => ({ path, median_ms: median(ms) }))
    .sort((a, b) => b.median_ms - a.median_ms).slice(0, 4);
  return {
    slowest,
    load_ms: median(loads.map((l) => l.load)),
    ready_ms: median(loads.map((l) => l.ready)),
    api_calls: median(loads.map((l) => l.api.length)),
    api_p50_ms: pct(api, 0.5),
    api_p99_ms: pct(api, 0.99),
    api_max_ms: api.length ? Math.max(...api) : null,
  };
}

const out = { runs: RUNS, pages: {} };
const who = new Map();
for (const id of PAGES) {
  const platform = PLATFORM_ONLY.has(id);
  if (platform && !PUSER) { console.error(`${id}: skipped (no platform user given)`); continue; }
  const key = platform ? 'platform' : 'user';
  if (!who.has(key)) {
    who.set(key, await signIn(platform ? PUSER : USER, platform ? PPASSWORD : PASSWORD,
      platform ? PORG || 'bench-mall' : null));
  }
  const cookies = who.get(key);
  recorded = new Map();
  const live = [];
  const ceiling = [];
  for (let k = 0; k < RUNS; k++) { // interleaved, so that a noisy neighbour hits both
    live.push(await load(id, cookies, false));
    ceiling.push(await load(id, cookies, true));
    console.error(`${id} run ${k + 1}: ready ${live[k].ready.toFixed(0)} ms, ceiling ${ceiling[k].ready.toFixed(0)} ms`);
  }
  out.pages[id] = { live: summary(live), ceiling: summary(ceiling) };
}
await browser.close();
if (out.pages.today) Object.assign(out, out.pages.today);
console.log(JSON.stringify(out));
