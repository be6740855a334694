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
// The harness (server, sign-in, a page watched for console errors and failed requests) is
// tests/weblib/harness.mjs. Skipped (77) when chromium or playwright-core is missing.
import { join } from 'node:path';
import { start, rawKeys as raw, PASSWORD } from '../weblib/harness.mjs';

const T = await start('ballast-webp.');
const { ok, bl, json, newPage, signIn, open, SHOTS } = T;
const rawKeys = (page) => raw(page, ['dash', 'charts', 'health', 'stock', 'orders', 'logistics', 'market', 'common', 'words']);

// ---- the demo store, its people, a marketplace governing it, a proposed action
T.demo();
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

// the warm thread only at start and when a request got stale windows (docs/api.md, "For
// tests"), so the first Logistics after a change shows the last figures, said stale
process.env.BALLAST_WARM_S = '3600';
await T.serve();

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
  // the data changed (approve, revert): the windows of before, said so in words, until the
  // new ones are computed
  await open(page, 'logistics');
  const stale = await page.textContent('#windows-stale').catch(() => '');
  ok(/from before the latest change to the data/.test(stale) && await page.$('#view .chart canvas') !== null,
    'Logistics after a change: the last windows at once, said stale in words', stale);
  await page.screenshot({ path: join(SHOTS, 'logistics-stale-en-1280.png'), fullPage: true });
  let fresh = false;
  for (let i = 0; i < 60 && !fresh; i++) {
    await page.waitForTimeout(500);
    fresh = !(await page.evaluate(async () => (await (await fetch('/api/v1/windows')).json()).stale));
  }
  await open(page, 'logistics');
  ok(fresh && await page.$('#windows-stale') === null, 'then the new windows, with no such words', fresh);
  ok(page.problems.length === 0, 'Logistics stale then fresh: no console error, no failed request', ...page.problems);
  await page.context().close();
}

// ---- a viewer: no decision offered
{
  const page = await newPage();
  await signIn(page, 'webp-viewer');
  await open(page, 'stock');
  ok(await page.$('button[data-action]') === null, 'a viewer: no approve, reject or revert on Stock');
  // the runway is one answer (GET /stock/summary), sorted and cut by the server; a filter
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/')) asked.push(new URL(r.url()).pathname); });
  await open(page, 'stock?filter=stockout');
  const shown = await page.$$eval('#view table tbody tr', (trs) => trs.length);
  const sum = await page.evaluate(async () => (await fetch('/api/v1/stock/summary?filter=stockout&limit=1&as_of=' +
    encodeURIComponent((await (await fetch('/api/v1/cycles?limit=1')).json()).cycles[0].as_of))).json());
  ok(await page.$eval('#stock-filter', (x) => x.value) === 'stockout' && sum.counts.matching > 0 &&
    shown >= Math.min(25, sum.counts.matching) && !asked.includes('/api/v1/plans') && !asked.includes('/api/v1/skus'),
  'Stock: the items with a stock-out ahead, from /stock/summary (no /plans, no /skus)', shown, JSON.stringify(sum.counts), asked.join(' '));
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
    await signIn(page, 'webp-platform', { org: 'webp-mall' });
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

T.done();
