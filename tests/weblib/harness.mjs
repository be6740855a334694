// The browser tests' harness (tests/web/*.mjs; docs/web.md, "Tests"): what every one of
// them does before it checks anything. It lives outside tests/web/ because every .mjs
// there is a test of its own (tests/CMakeLists.txt).
//
//   import { start } from '../weblib/harness.mjs';
//   const t = await start('ballast-web.');   // skips (77) without chromium or playwright-core
//   t.demo();                                // the demo store (scripts/demo.sh --no-serve)
//   t.bl(['user', 'add', ...], stdin);       // the ballast command on that store
//   await t.serve();                         // `ballast serve` on it: t.BASE; then the browser
//   const page = await t.newPage({ width: 375, lang: 'zh-CN' });
//   await t.signIn(page, 'test-operator');
//   await t.open(page, 'stock/SKU-00003');   // waits for the page to be drawn and quiet
//   t.ok(page.problems.length === 0, 'no console error, no failed request', ...page.problems);
//   t.done();                                // "N passed, M failed", exit 1 on a failure
//
// A page records its console errors, page errors, failed requests and HTTP answers >= 400
// in page.problems (the sign-in page's GET /me answers 401 before anyone signs in: that one
// is expected; page.expectRefusal(response) -> true lets a test expect another).
// Environment: BALLAST (the binary), BL_SOURCE_DIR, BL_WEB_DIR (the web files to serve),
// BL_SHOTS (screenshots, build/web-shots/), CHROMIUM, KEEP=1 (keep the temporary store).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC = process.env.BL_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), '../..');
export const PASSWORD = 'correct horse battery staple';
const BALLAST = process.env.BALLAST;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WEB = process.env.BL_WEB_DIR;
const SHOTS = process.env.BL_SHOTS || join(SRC, 'build/web-shots');
const PW = join(SRC, 'node_modules/playwright-core/index.mjs');

function skip(why) {
  console.log('skipped: ' + why);
  process.exit(77);
}

// Everything a browser test needs, ready; tmpPrefix names its temporary directory.
export async function start(tmpPrefix) {
  if (!BALLAST) skip('BALLAST must name the ballast binary');
  if (!existsSync(CHROMIUM)) skip(`no chromium at ${CHROMIUM} (scripts/install-deps.sh test installs Debian's)`);
  if (!existsSync(PW)) skip('no node_modules/playwright-core (scripts/install-deps.sh test runs npm ci)');
  const { chromium } = await import(PW);
  const h = { SRC, SHOTS, PASSWORD, pass: 0, fail: 0, server: null, browser: null, BASE: null };
  h.tmp = mkdtempSync(join(tmpdir(), tmpPrefix));
  h.db = join(h.tmp, 'demo.db');

  h.ok = (cond, name, ...why) => {
    if (cond) { h.pass++; console.log('ok - ' + name); } else {
      h.fail++;
      console.log('not ok - ' + name);
      for (const w of why) console.log('  # ' + String(w).split('\n').join('\n  # '));
    }
    return cond;
  };
  h.done = () => {
    console.log(`${h.pass} passed, ${h.fail} failed`);
    process.exit(h.fail ? 1 : 0);
  };
  const cleanup = () => {
    if (h.server && h.server.exitCode === null) h.server.kill('SIGTERM');
    if (h.browser) h.browser.close().catch(() => {});
    if (!process.env.KEEP) rmSync(h.tmp, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  process.on('uncaughtException', (e) => {
    h.ok(false, 'the test ran to its end', e.stack || e);
    console.log(`${h.pass} passed, ${h.fail} failed`);
    process.exit(1);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(1));

  // The ballast command on the test's store: its output, or an exception with its stderr.
  h.bl = (args, input) => {
    const r = spawnSync(BALLAST, ['--db', h.db, ...args], { input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ballast ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  h.json = (args) => JSON.parse(h.bl(['--format', 'json', ...args]));
  // The demo store (both organisations), or the test ends here.
  h.demo = () => {
    const r = spawnSync('bash', [join(SRC, 'scripts/demo.sh'), BALLAST, h.db, '--no-serve'], { encoding: 'utf8' });
    if (!h.ok(r.status === 0, 'scripts/demo.sh --no-serve fills the demo store', (r.stderr || '').slice(-2000))) process.exit(1);
  };
  h.serve = () => serve(h).then(async (base) => {
    h.BASE = base;
    h.ok(true, 'ballast serve started at ' + base);
    h.browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    mkdirSync(SHOTS, { recursive: true });
    return base;
  });
  h.newPage = (opts) => newPage(h, opts);
  h.ready = ready;
  h.signIn = (page, name, opts) => signIn(h, page, name, opts);
  h.open = (page, hash) => open(h, page, hash);
  h.shot = (page, name, fullPage = true) => page.screenshot({ path: join(SHOTS, name + '.png'), fullPage });
  return h;
}

function serve(h) {
  const args = ['--db', h.db, 'serve', '--listen', '127.0.0.1:0', '--no-schedule', '--threads', '4'];
  if (WEB) args.push('--web', WEB);
  h.server = spawn(BALLAST, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BALLAST_SECRET_KEY_FILE: join(h.tmp, 'secret.key') } });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not start: ' + err)), 60000);
    h.server.stderr.on('data', (b) => {
      err += b;
      const m = err.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve('http://127.0.0.1:' + m[1]); }
    });
    h.server.on('exit', (code) => reject(new Error('serve exited ' + code + ': ' + err)));
  });
}

// A page (its own browser context) that records its console errors and failed requests.
async function newPage(h, { width = 1280, height = 800, lang = 'en' } = {}) {
  const context = await h.browser.newContext({ viewport: { width, height }, timezoneId: 'UTC', locale: 'en-US' });
  await context.addInitScript((l) => { if (!localStorage.getItem('ballast.lang')) localStorage.setItem('ballast.lang', l); }, lang);
  const page = await context.newPage();
  page.problems = [];
  page.signingIn = true; // the sign-in page's GET /me answers 401 before anyone signs in
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
    if (page.expectRefusal && page.expectRefusal(r)) return;
    page.problems.push('HTTP ' + r.status() + ' ' + r.url());
  });
  return page;
}

// Waits until the page `id` has rendered (app.js sets <html data-page data-ready>).
async function ready(page, id) {
  await page.waitForSelector(`html[data-ready="1"][data-page="${id}"]`, { timeout: 60000 });
}

// Signs in on the sign-in page and waits for the first page (Today) and a quiet network.
async function signIn(h, page, name, { password = PASSWORD, org = '' } = {}) {
  page.signingIn = true;
  await page.goto(h.BASE + '/');
  await ready(page, 'signin');
  await page.fill('#signin-name', name);
  await page.fill('#signin-password', password);
  if (org) await page.fill('#signin-org', org);
  await page.click('#signin-submit');
  await ready(page, 'today');
  await page.waitForLoadState('networkidle');
  page.signingIn = false;
}

// Opens #/HASH and waits until its page is drawn and the network is quiet (charts too).
async function open(h, page, hash) {
  const id = hash.split(/[/?]/)[0];
  page.problems = [];
  // the page before may be the same page id (#/health, then #/health/shop-003): forget it
  await page.evaluate(() => { document.documentElement.dataset.ready = '0'; }).catch(() => {});
  const url = h.BASE + '/#/' + hash;
  if (page.url() === url) await page.reload(); // the same hash: no hashchange, draw it again
  else await page.goto(url);
  await ready(page, id);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300); // ECharts draws on the next frame
}

// The string keys shown raw in #view (a key with no string: t() returns the key itself).
export async function rawKeys(page, prefixes) {
  const text = await page.textContent('#view');
  const re = new RegExp('^(' + prefixes.join('|') + ')\\.');
  return (text.match(/\b[a-z]+(\.[a-z_]+)+\b/g) || []).filter((k) => re.test(k));
}

// The words of #view that are not in the page's language: its text (each text node apart)
// without what is declared as another language (lang=..., a buyer's message) or not to be
// translated (translate="no": a citation, a code), and without the `names` given (shops,
// items, carriers, people: data shown as it is); then every Latin word left that is not
// a code (a word with a digit, or in capitals: SKU, CN-ZJ, S003-0000098). A zh-CN page
// should leave none.
export async function foreignWords(page, names, allowed = []) {
  const chunks = await page.evaluate(() => {
    const lang = document.documentElement.lang;
    const out = [];
    const walk = document.createTreeWalker(document.querySelector('#view'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (el.closest('[translate="no"], script, style')) continue;
      const other = el.closest('[lang]');
      if (other && other.getAttribute('lang') !== lang && other !== document.documentElement) continue;
      if (n.textContent.trim()) out.push(n.textContent);
    }
    return out;
  });
  const sorted = [...new Set(names.filter((x) => x && /[A-Za-z]{2}/.test(x)))].sort((a, b) => b.length - a.length);
  const left = new Set();
  for (let text of chunks) {
    for (const name of sorted) if (text.includes(name)) text = text.split(name).join(' ');
    for (const tok of text.split(/[^A-Za-z0-9_\-.:$@'’/]+/)) {
      const word = tok.replace(/^[-.:'’/]+|[-.:'’/]+$/g, '');
      if (!/[a-z]{2}/.test(word) || /\d/.test(word) || allowed.includes(word)) continue;
      left.add(word);
    }
  }
  return [...left];
}
