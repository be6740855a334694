// The dashboard's strings, without a browser (docs/web.md, "Strings"): node loads
// web/i18n.js with the two string files and checks
// - en.json and zh-CN.json have the same keys, a key with plural variants in English
//   ("KEY.one", "KEY.other") being the plain "KEY" in Chinese, which has one form;
// - each string has the same {placeholders} in both languages (every variant);
// - a count picks its variant by {n} with Intl.PluralRules: "1 disruption", "2
//   disruptions", "1,963 disruptions" (fmt.number's text read back), a fraction "1.5
//   days"; a key without variants is its plain text; has() knows a key by its variants;
// - no English string says "(s)": a count agrees with its noun;
// - Chinese keeps its one form whatever the count.
// Needs only node (the browser tests are dashboard.mjs and its siblings).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = process.env.BL_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), '../..');
let pass = 0;
let fail = 0;
function ok(cond, name, ...why) {
  if (cond) { pass++; console.log('ok - ' + name); } else {
    fail++;
    console.log('not ok - ' + name);
    for (const w of why) console.log('  # ' + JSON.stringify(w));
  }
}

const read = (code) => readFileSync(join(SRC, 'web/i18n', code + '.json'), 'utf8');
const en = JSON.parse(read('en'));
const zh = JSON.parse(read('zh-CN'));

// ---- the two files
{
  const VARIANT = /\.(zero|one|two|few|many|other)$/;
  // a key with variants in English is one key: its base (only keys whose ".other" exists)
  const base = (k, table) => (VARIANT.test(k) && k.replace(VARIANT, '') + '.other' in table
    && !(k.replace(VARIANT, '') in table) ? k.replace(VARIANT, '') : k);
  const keys = (table) => new Set(Object.keys(table).map((k) => base(k, table)));
  const ek = keys(en);
  const zk = keys(zh);
  const only = (a, b) => [...a].filter((k) => !b.has(k));
  ok(!only(ek, zk).length && !only(zk, ek).length, 'en.json and zh-CN.json have the same keys', only(ek, zk), only(zk, ek));
  const vars = (x) => (x.match(/\{\w+\}/g) || []).sort().join();
  const zhOf = (k) => zh[base(k, en)] ?? zh[k];
  const bad = Object.keys(en).filter((k) => zhOf(k) !== undefined && vars(en[k]) !== vars(zhOf(k)));
  ok(!bad.length, 'each string has the same {placeholders} in both languages, every variant', bad);
  const lonely = Object.keys(en).filter((k) => k.endsWith('.one') && !(k.replace(/\.one$/, '.other') in en));
  ok(!lonely.length, 'a ".one" variant always has its ".other"', lonely);
  const both = Object.keys(en).filter((k) => k.endsWith('.one') && k.replace(/\.one$/, '') in en);
  ok(!both.length, 'a key is either plain or in variants, never both', both);
  const maybe = Object.keys(en).filter((k) => /\(s\)/.test(en[k]));
  ok(!maybe.length, 'no English string says "(s)"', maybe);
  const zhVariants = Object.keys(zh).filter((k) => /\.one$/.test(k));
  ok(!zhVariants.length, 'Chinese has one form, no ".one" variant', zhVariants);
}

// ---- web/i18n.js in node: the browser's globals it uses, the files served from web/i18n/
globalThis.localStorage = { getItem: () => null, setItem: () => {} };
globalThis.document = { documentElement: {} };
globalThis.fetch = async (url) => ({ ok: true, json: async () => JSON.parse(read(url.replace(/^\/i18n\/|\.json$/g, ''))) });
const src = readFileSync(join(SRC, 'web/i18n.js'), 'utf8');
const i18n = await import('data:text/javascript,' + encodeURIComponent(src));
const { t, has, setLang, fmt } = i18n;

await setLang('en');
const same = (got, want, name) => ok(got === want, name, got, want);
same(t('disruptions.count', { n: 1 }), '1 disruption', 'en: one, from a number');
same(t('disruptions.count', { n: fmt.number(1) }), '1 disruption', 'en: one, from fmt.number\'s text');
same(t('disruptions.count', { n: 2 }), '2 disruptions', 'en: other');
same(t('disruptions.count', { n: 0 }), '0 disruptions', 'en: none is plural');
same(t('disruptions.count', { n: fmt.number(1963) }), '1,963 disruptions', 'en: a grouped count is read back');
same(t('common.days', { n: fmt.number(1.5, { maximumFractionDigits: 1 }) }), '1.5 days', 'en: a fraction is plural');
same(t('health.rules_breached', { n: 1 }), '1 rule misses its target', 'en: the verb and pronoun agree (one)');
same(t('health.rules_breached', { n: 3 }), '3 rules miss their target', 'en: the verb and pronoun agree (other)');
same(t('today.messages_held', { n: 1 }), '1 message is held: see why', 'en: 1 message is held');
same(t('disruptions.count', {}), '{n} disruptions', 'en: no count, the ".other" variant');
same(t('nav.today'), en['nav.today'], 'en: a plain key is its text');
ok(has('disruptions.count') && has('nav.today') && !has('disruptions.nothing_here'), 'has() knows a key by its variants');
const days = t('today.overdue_lede', { n: 1, days: t('common.days', { n: 1 }) });
same(days, '1 SKU waits for a purchase order past its day (counted as arriving for at most 1 day after it):',
  'en: two counts, each agreeing (a counted fragment as a placeholder)');

await setLang('zh-CN');
same(t('disruptions.count', { n: 1 }), zh['disruptions.count'].replace('{n}', '1'), 'zh-CN: one form for 1');
same(t('disruptions.count', { n: fmt.number(1963) }), zh['disruptions.count'].replace('{n}', '1,963'), 'zh-CN: one form for 1,963');
same(t('common.days', { n: 1 }), '1 天', 'zh-CN: 1 天');

console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
