// bench/web.mjs BASE RUNS ROOT - loads the Today page RUNS times after signing in as
// bench-operator and reports navigation and API timings (bench/web.sh).
const [, , BASE, RUNS, ROOT] = process.argv;
const { chromium } = await import(ROOT + '/node_modules/playwright-core/index.mjs');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
await page.goto(BASE + '/');
await page.waitForSelector('html[data-ready="1"][data-page="signin"]');
await page.fill('#signin-name', 'bench-operator');
await page.fill('#signin-password', 'correct horse battery staple');
await page.click('#signin-submit');
await page.waitForSelector('html[data-ready="1"][data-page="today"]', { timeout: 120000 });

const q = (a, p) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))];
const loads = [];
const api = [];
for (let i = 0; i < Number(RUNS); i++) {
  await page.goto('about:blank');
  await page.goto(BASE + '/#/today');
  await page.waitForSelector('html[data-ready="1"][data-page="today"]', { timeout: 120000 });
  const r = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      ready: performance.now(),
      dom: nav.domContentLoadedEventEnd,
      api: performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/'))
        .map((e) => ({ url: e.name.replace(/^https?:\/\/[^/]+/, ''), ms: e.responseEnd - e.requestStart })),
    };
  });
  loads.push(r.ready);
  api.push(...r.api);
  console.log(`load ${i + 1}: Today drawn at ${r.ready.toFixed(0)} ms (DOMContentLoaded ${r.dom.toFixed(0)} ms), ${r.api.length} API requests`);
}
const ms = api.map((x) => x.ms);
console.log(`Today: first load ${loads[0].toFixed(0)} ms, median ${q(loads, 0.5).toFixed(0)} ms (goal: under 1000 ms)`);
console.log(`API during the loads: ${ms.length} responses, p50 ${q(ms, 0.5).toFixed(1)} ms, p99 ${q(ms, 0.99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (goal: p99 under 100 ms)`);
const by = new Map();
for (const x of api) {
  const k = x.url.replace(/\?.*/, '');
  by.set(k, Math.max(by.get(k) || 0, x.ms));
}
console.log('slowest routes (max ms): ' + [...by].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', '));
await browser.close();
