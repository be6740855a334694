// The pages Account health, Stock, Orders at risk, Logistics and Marketplace in a real
// browser (issue 17; docs/web.md, "Pages"): Debian's chromium driven by playwright-core,
// against a `ballast serve` this test starts on the demo store. Checks:
// - each page and its detail views (a shop's health, a SKU, an order, a quote) load with no
//   console error and no failed request, in English and in Chinese, at 1280x800 and at
//   375 px wide, with no raw string key; screenshots under $BL_SHOTS (build/web-shots/);
// - charts come with their table (the same numbers, keyboard-reachable);
// - an operator approves a proposed playbook action (its change is made) and reverts it
//   (the field is back, the action is undone), as the store says;
// - a viewer sees no approve, reject or revert;
// - the Marketplace view shows a platform operator its merchants; a merchant's user has no
//   such page.
// The harness (tests/web/dashboard.mjs) exports nothing to share yet: the few lines that
// start the server and watch a page are the same here. Skipped (77) when chromium or
// playwright-core is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = process.env.BL_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), '../..');
const BALLAST = process.env.BALLAST;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WEB = process.env.BL_WEB_DIR;
const SHOTS = process.env.BL_SHOTS || join(SRC, 'build/web-shots');
const PW = join(SRC, 'node_modules/playwright-core/index.mjs');
const PASSWORD = 'correct horse battery staple';

function skip(why) {
  console.log('skipped: ' + why);
  process.exit(77);
}
if (!BALLAST) skip('BALLAST must name the ballast binary');
if (!existsSync(CHROMIUM)) skip(`no chromium at ${CHROMIUM} (scripts/install-deps.sh test installs Debian's)`);
if (!existsSync(PW)) skip('no node_modules/playwright-core (scripts/install-deps.sh test runs npm ci)');
const { chromium } = await import(PW);

let pass = 0;
let fail = 0;
function ok(cond, name, ...why) {
  if (cond) { pass++; console.log('ok - ' + name); } else {
    fail++;
    console.log('not ok - ' + name);
    for (const w of why) console.log('  # ' + String(w).split('\n').join('\n  # '));
  }
  return cond;
}

const tmp = mkdtempSync(join(tmpdir(), 'ballast-webp.'));
const db = join(tmp, 'demo.db');
let server = null;
let browser = null;
function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (browser) browser.close().catch(() => {});
  if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('uncaughtException', (e) => {
  ok(false, 'the test ran to its end', e.stack || e);
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(1);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(1));

function bl(args, input) {
  const r = spawnSync(BALLAST, ['--db', db, ...args], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ballast ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}
const json = (args) => JSON.parse(bl(['--format', 'json', ...args]));

// ---- the demo store, its people, a marketplace governing it, a proposed action
const demoArgs = [join(SRC, 'scripts/demo.sh'), BALLAST, db];
if (/--no-serve/.test(readFileSync(join(SRC, 'scripts/demo.sh'), 'utf8'))) demoArgs.push('--no-serve');
const demo = spawnSync('bash', demoArgs, { encoding: 'utf8' });
if (!ok(demo.status === 0, 'scripts/demo.sh fills the demo store', demo.stderr.slice(-2000))) process.exit(1);
bl(['user', 'add', 'webp-viewer', '--role', 'viewer', '--password-stdin'], PASSWORD + '\n');
bl(['user', 'add', 'webp-operator', '--role', 'operator', '--password-stdin'], PASSWORD + '\n');
bl(['--org', 'webp-mall', 'init']);
bl(['org', 'govern', 'default', '--by', 'webp-mall']);
bl(['org', 'govern', 'olist', '--by', 'webp-mall']);
bl(['--org', 'webp-mall', 'user', 'add', 'webp-platform', '--role', 'platform', '--password-stdin'], PASSWORD + '\n');
// Every kind proposed, then the playbook of the next days until one is waiting for a person.
for (const k of ['out_of_stock', 'pause_promotion', 'pause_mail', 'extend_handling']) bl(['actions', '--policy', k + '=propose']);
let proposed = null;
for (let day = 16; day < 24 && !proposed; day++) {
  bl(['playbook', '--as-of', `2024-11-${day}T00:00:00Z`, '--apply']);
  proposed = json(['actions', '--state', 'proposed'])[0] || null;
}
ok(proposed !== null, 'the playbook proposed an action for a person to decide', JSON.stringify(proposed));
// an order a late-shipment message is about, for the order's own page
const late = json(['messages', 'list', '--kind', 'late_shipment', '--limit', '1'])[0];

async function startServer() {
  const args = ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--no-schedule', '--threads', '4'];
  if (WEB) args.push('--web', WEB);
  server = spawn(BALLAST, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BALLAST_SECRET_KEY_FILE: join(tmp, 'secret.key') } });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not start: ' + err)), 60000);
    server.stderr.on('data', (b) => {
      err += b;
      const m = err.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve('http://127.0.0.1:' + m[1]); }
    });
    server.on('exit', (code) => reject(new Error('serve exited ' + code + ': ' + err)));
  });
}
const BASE = await startServer();
ok(true, 'ballast serve started at ' + BASE);
browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
mkdirSync(SHOTS, { recursive: true });

// A page that records its console errors and failed requests (the sign-in page's GET /me
// answers 401 before anyone signs in: that one is expected).
async function newPage({ width = 1280, height = 800, lang = 'en' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, timezoneId: 'UTC', locale: 'en-US' });
  await context.addInitScript((l) => { if (!localStorage.getItem('ballast.lang')) localStorage.setItem('ballast.lang', l); }, lang);
  const page = await context.newPage();
  page.problems = [];
  page.signingIn = true;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (page.signingIn && /401/.test(m.text())) return;
    page.problems.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  page.on('requestfailed', (r) => page.problems.push('failed: ' + r.url() + ' ' + (r.failure() || {}).errorText));
  page.on('response', (r) => {
    if (r.status() < 400) return;
    if (page.signingIn && r.url().endsWith('/api/v1/me') && r.status() === 401) return;
    page.problems.push('HTTP ' + r.status() + ' ' + r.url());
  });
  return page;
}

async function signIn(page, name, org) {
  page.signingIn = true;
  await page.goto(BASE + '/');
  await page.waitForSelector('#signin-name');
  await page.fill('#signin-name', name);
  await page.fill('#signin-password', PASSWORD);
  if (org) await page.fill('#signin-org', org);
  await page.click('#signin-submit');
  await page.waitForSelector('#nav-list a', { state: 'attached' });
  await page.waitForLoadState('networkidle');
  page.signingIn = false;
}

// Opens #/HASH and waits until its page is drawn and the network is quiet (charts too).
async function open(page, hash) {
  const id = hash.split(/[/?]/)[0];
  page.problems = [];
  await page.goto(BASE + '/#/' + hash);
  await page.waitForSelector(`#view .page-${id} h1`, { timeout: 60000 });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300); // ECharts draws on the next frame
}

async function rawKeys(page) {
  const text = await page.textContent('#view');
  return (text.match(/\b[a-z]+(\.[a-z_]+)+\b/g) || [])
    .filter((k) => /^(dash|charts|health|stock|orders|logistics|market|common)\./.test(k));
}

// The list pages' screenshots are tests/web/dashboard.mjs's (ID-LANG-WIDTH.png); these
// are the detail views'.
const views = [
  ['health', null], ['health/shop-003', 'health-shop'], ['stock', null],
  ['stock/SKU-00003', 'stock-sku'], ['orders', null],
  ...(late ? [[`orders/${encodeURIComponent(late.order)}?shop=${late.shop}`, 'orders-order']] : []),
  ['logistics', 'logistics-quote'],
];

// ---- every view, both languages, both widths, as an operator
for (const lang of ['en', 'zh-CN']) {
  for (const width of [1280, 375]) {
    const page = await newPage({ width, lang });
    await signIn(page, 'webp-operator');
    for (const [hash, shot] of views) {
      await open(page, hash);
      if (shot === 'logistics-quote') {
        await page.click('.quote-form button[type="submit"]');
        await page.waitForSelector('.quote-result table, .quote-result .empty, .quote-result .notice');
        ok(await page.$('.quote-result table') !== null, `${lang} ${width}: a quote from Guangdong to California lists channels`);
        await page.waitForLoadState('networkidle');
      }
      if (shot === 'stock-sku' || shot === 'health-shop') { // a page drawn aside, then shown
        await page.waitForSelector('#view .chart canvas', { timeout: 10000 }).catch(() => {});
        ok(await page.$('#view .chart canvas') !== null, `${lang} ${width}: ${hash}: its chart is drawn`);
      }
      const raw = await rawKeys(page);
      ok(page.problems.length === 0 && raw.length === 0,
        `${lang} ${width}: ${hash} loads with no console error, no failed request, no raw string key`,
        ...page.problems, raw.join(' '));
      if (shot) await page.screenshot({ path: join(SHOTS, `${shot}-${lang}-${width}.png`), fullPage: true });
    }
    await page.context().close();
  }
}

// ---- charts have their table: the same rows, reachable with the keyboard
{
  const page = await newPage();
  await signIn(page, 'webp-operator');
  await open(page, 'health/shop-003');
  ok(await page.$('#view canvas') !== null, 'the health trend is drawn');
  const rows = await page.$$eval('.chart-details table tbody tr', (r) => r.length);
  ok(rows === 90, 'the trend\'s table has the 90 days', rows);
  await page.focus('.chart-details summary');
  await page.keyboard.press('Enter');
  ok(await page.$eval('.chart-details', (d) => d.open), 'Enter on the chart\'s summary opens its table');
  await open(page, 'stock/SKU-00003');
  const cols = await page.$$eval('.chart-details thead th', (th) => th.length);
  ok(cols === 5, 'the forecast\'s table: the day, sold, the band\'s two edges, the p50', cols);
  await page.context().close();
}

// ---- an operator approves a proposed action, then reverts it
if (proposed) {
  const page = await newPage();
  await signIn(page, 'webp-operator');
  await open(page, 'stock/' + encodeURIComponent(proposed.target));
  await page.click('tr.action-proposed button[data-action="approve"]');
  await page.waitForSelector('tr.action-applied button[data-action="revert"]');
  let now = json(['actions', '--sku', proposed.target]).find((a) => a.id === proposed.id);
  ok(now && now.state === 'applied' && now.decided_by === 'webp-operator', 'approve: the action is applied, by the operator', JSON.stringify(now));
  await page.click('tr.action-applied button[data-action="revert"]');
  await page.waitForSelector('tr.action-undone');
  now = json(['actions', '--sku', proposed.target]).find((a) => a.id === proposed.id);
  ok(now && now.state === 'undone', 'revert: the action is undone in the store', JSON.stringify(now));
  const text = await page.textContent('tr.action-undone');
  ok(/Reverted by a person/.test(text) && /webp-operator/.test(text), 'the page says who reverted it', text);
  ok(page.problems.length === 0, 'approve and revert: no console error, no failed request', ...page.problems);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, 'stock-sku-reverted-en-1280.png'), fullPage: true });
  await page.context().close();
}

// ---- a viewer: no decision offered
{
  const page = await newPage();
  await signIn(page, 'webp-viewer');
  await open(page, 'stock');
  ok(await page.$('button[data-action]') === null, 'a viewer: no approve, reject or revert on Stock');
  if (proposed) {
    await open(page, 'stock/' + encodeURIComponent(proposed.target));
    ok(await page.$('button[data-action]') === null, 'a viewer: none on a SKU either');
  }
  ok(page.problems.length === 0, 'a viewer\'s Stock: no console error, no failed request', ...page.problems);
  const nav = await page.$$eval('#nav-list a', (as) => as.map((a) => a.id));
  ok(!nav.includes('nav-market'), 'a merchant\'s user has no Marketplace in the nav', nav);
  await page.context().close();
}

// ---- the Marketplace view, for a platform operator
for (const lang of ['en', 'zh-CN']) {
  for (const width of [1280, 375]) {
    const page = await newPage({ width, lang });
    await signIn(page, 'webp-platform', 'webp-mall');
    await open(page, 'market');
    const text = await page.textContent('#view');
    ok(/default/.test(text) && /olist/.test(text), `${lang} ${width}: the marketplace lists its merchants`, text.slice(0, 300));
    const raw = await rawKeys(page);
    ok(page.problems.length === 0 && raw.length === 0, `${lang} ${width}: market loads with no console error, no failed request, no raw string key`,
      ...page.problems, raw.join(' '));
    await page.screenshot({ path: join(SHOTS, `market-${lang}-${width}.png`), fullPage: true });
    await page.context().close();
  }
}

console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
