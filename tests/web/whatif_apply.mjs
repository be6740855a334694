// A what-if's plan applied, on the dashboard (issue 20; docs/whatif.md, "Applying a plan"):
// `ballast whatif --mitigate --apply 1` on the demo store's Yiwu lockdown proposes a
// purchase order from a backup supplier and longer handling times; the Stock page lists
// them by kind and in words (the plan and step they come from, the supplier, the
// warehouse, the units and days, what they cost and save, by names) in English and in
// Chinese, with no raw string key; an operator approves the purchase order there and the
// store has it applied, the plan counting it inbound; then approves the rest of the plan at
// once ("Approve all 71 of this plan", en and zh-CN).
// Skipped (77) when chromium or playwright-core is missing (tests/weblib/harness.mjs).
import { join } from 'node:path';
import { start, rawKeys as raw, PASSWORD } from '../weblib/harness.mjs';

const T = await start('ballast-webapply.');
const { ok, bl, json, newPage, signIn, open, SHOTS } = T;
const rawKeys = (page) => raw(page, ['dash', 'charts', 'stock', 'common', 'words', 'actions']);

T.demo();
bl(['user', 'add', 'wa-operator', '--role', 'operator', '--password-stdin'], PASSWORD + '\n');
const applied = JSON.parse(bl(['whatif', '--as-of', '2024-11-15', '--assume', join(T.SRC, 'data/demo/whatif-yiwu.csv'),
  '--horizon', '14', '--mitigate', '--apply', '1', '--json']));
const acts = applied.applied.actions;
const po = acts.find((a) => a.kind === 'purchase_order');
const hold = acts.find((a) => a.kind === 'handling_until');
ok(po && hold, 'plan 1 of the demo\'s lockdown: a purchase order and handling holds proposed', JSON.stringify(acts.slice(0, 3)));
const inbound = () => Number(bl(['--format', 'csv', 'plan', '--as-of', '2024-11-16', '--no-save'])
  .split('\n').find((l) => l.startsWith(po.sku + ',*,')).split(',')[3]);
const before = inbound();

await T.serve();
const words = {
  en: [/Purchase order \(from a what-if\)/, /From the what-if of whatif-yiwu\.csv, plan 1, step \d+: order \d+ units of /,
    /they arrive on/, /saves \$/],
  'zh-CN': [/采购单（来自假设分析）/, /来自假设分析“whatif-yiwu\.csv”的方案 1 第 \d+ 步：/, /到货/, /节省/],
};
for (const lang of ['en', 'zh-CN']) {
  const page = await newPage({ width: 1280, lang });
  await signIn(page, 'wa-operator');
  await open(page, 'stock/' + encodeURIComponent(po.sku));
  const text = await page.textContent('tr.action-proposed');
  for (const re of words[lang]) ok(re.test(text), `${lang}: the purchase order's row says ${re}`, text);
  ok(!/sup-\d|wh-[a-z]/.test(text), `${lang}: by names, never ids`, text);
  await open(page, 'stock/' + encodeURIComponent(hold.sku));
  const htext = await page.textContent('tr.action-proposed');
  ok(lang === 'en' ? /handling time \d+ → \d+ days until/.test(htext) : /备货时间 \d+ → \d+ 天，至/.test(htext),
    `${lang}: the handling hold's row says how long, until when`, htext);
  const keys = await rawKeys(page);
  ok(page.problems.length === 0 && keys.length === 0, `${lang}: no console error, no failed request, no raw key`,
    ...page.problems, keys.join(' '));
  await page.screenshot({ path: join(SHOTS, `stock-whatif-action-${lang}-1280.png`), fullPage: true });
  await page.context().close();
}

// ---- the operator approves the purchase order on the page: the plan counts it
{
  const page = await newPage();
  await signIn(page, 'wa-operator');
  await open(page, 'stock/' + encodeURIComponent(po.sku));
  await page.click('tr.action-proposed button[data-action="approve"]');
  await page.waitForSelector('tr.action-applied');
  const now = json(['actions', '--sku', po.sku]).find((a) => a.id === po.id);
  ok(now && now.state === 'applied' && now.decided_by === 'wa-operator', 'approved on the page: applied, by the operator', JSON.stringify(now));
  ok(inbound() === before + po.after, 'the plan counts the purchase order inbound', before, inbound(), po.after);
  ok(page.problems.length === 0, 'approve: no console error, no failed request', ...page.problems);
  await page.context().close();
}

// ---- Today names the demo's purchase order 73 days late (PO-000006), in both languages
for (const [lang, re] of [['en', /PO-000006 from .+ was due .+, \d+ days late\. No longer counted: its 300 units of .+ \(SKU-00251\)\./],
  ['zh-CN', /PO-000006（.+）应于 .+ 到货，已逾期 \d+ 天：.+（SKU-00251）的 300 件不再计为在途/]]) {
  const page = await newPage({ lang });
  await signIn(page, 'wa-operator');
  await open(page, 'today');
  const text = await page.textContent('#today-overdue').catch(() => '');
  ok(re.test(text), `${lang}: Today names the overdue purchase order`, text.slice(0, 400));
  ok((await rawKeys(page)).length === 0 && page.problems.length === 0, `${lang}: Today, no raw key, no problem`, ...page.problems);
  await page.context().close();
}

// ---- the rest of the plan at once: "Approve all 71 of this plan" (its holds and the pause of
// a promotion: the demo's promoted SKUs have a spend), in both languages
const PLAN_KINDS = ['handling_until', 'promotion_until', 'purchase_order', 'transfer', 'reroute'];
const planLeft = () => json(['actions', '--state', 'proposed']).filter((a) => PLAN_KINDS.includes(a.kind)).length;
{
  const left = planLeft();
  const page = await newPage({ lang: 'zh-CN' });
  await signIn(page, 'wa-operator');
  await open(page, 'stock');
  const zh = await page.textContent('.plan-sets');
  ok(zh.includes(`批准此方案的全部 ${left} 项`) && /假设分析“whatif-yiwu\.csv”（截至 .*）的方案 1/.test(zh),
    'zh-CN: the plan\'s button, by its name and count', zh);
  ok((await rawKeys(page)).length === 0, 'zh-CN: no raw key');
  await page.context().close();
}
{
  const page = await newPage();
  await signIn(page, 'wa-operator');
  await open(page, 'stock');
  const left = planLeft();
  const holds = json(['actions', '--state', 'proposed']).filter((a) => a.kind === 'handling_until').length;
  const text = await page.textContent('.plan-sets');
  ok(left > 1 && text.includes(`Approve all ${left} of this plan`) && text.includes('The what-if of whatif-yiwu.csv as of'),
    `en: "Approve all ${left} of this plan"`, text);
  await page.screenshot({ path: join(SHOTS, 'stock-plan-approve-all-en-1280.png'), fullPage: true });
  await page.click('.plan-sets button[data-plan-action="approve"]');
  await page.waitForFunction(() => !document.querySelector('.plan-sets'));
  const still = json(['actions', '--state', 'proposed']).filter((a) => a.kind === 'handling_until').length;
  const held = json(['actions', '--state', 'applied']).filter((a) => a.kind === 'handling_until');
  ok(still === 0 && held.length === holds && held.every((a) => a.decided_by === 'wa-operator') && planLeft() === 0,
    'approved at once: every hold of the plan applied, by the operator, nothing of it left', still, held.length);
  ok(page.problems.length === 0, 'approve all: no console error, no failed request', ...page.problems);
  await page.context().close();
}

T.done();
