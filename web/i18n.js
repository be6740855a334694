// i18n.js - every string the dashboard shows, and numbers, money and dates in the
// reader's language (docs/web.md, "Strings").
//
//   t('stock.title')                      -> "Stock"
//   t('today.held', {n: 3})               -> "{n} held" with {n} replaced
//   t('disruptions.count', {n: 1})        -> "1 disruption" (the key's ".one" variant)
//   fmt.number(1234.5), fmt.percent(0.031), fmt.money('21.90', 'EUR'), fmt.date(iso),
//   fmt.datetime(iso), fmt.relative(iso)
//
// Strings live in /i18n/en.json and /i18n/zh-CN.json: flat keys namespaced by page id
// ("stock.title", "common.approve"). A key missing from the chosen language falls back
// to English; one missing from both is shown as the key and logged as a console error,
// which the browser tests (tests/web/) fail on. The language chosen is remembered in
// localStorage ('ballast.lang'); the first visit follows the browser's.
//
// Counts: a string that counts something has a variant per plural category of the
// language, "KEY.one" and "KEY.other" in English, chosen by the argument {n} with
// Intl.PluralRules ("1 disruption", "2 disruptions"); a language without plurals (Chinese)
// keeps the plain "KEY". {n} is the count itself or fmt.number's text of it ("1,963").
// The lookup: the category's variant, then the plain key, then ".other", in the chosen
// language first, then in English.

export const LANGS = ['en', 'zh-CN'];
const STORE_KEY = 'ballast.lang';

let lang = 'en';
let strings = {};
let english = {};

function pickInitial() {
  const kept = localStorage.getItem(STORE_KEY);
  if (LANGS.includes(kept)) return kept;
  const nav = (navigator.languages || [navigator.language || 'en']);
  return nav.some((l) => /^zh/i.test(l)) ? 'zh-CN' : 'en';
}

async function load(code) {
  const res = await fetch('/i18n/' + code + '.json', { credentials: 'same-origin' });
  if (!res.ok) throw new Error('cannot load the strings of ' + code);
  return res.json();
}

// Loads the strings of code (or the remembered language) and remembers it.
export async function setLang(code) {
  const want = LANGS.includes(code) ? code : pickInitial();
  if (!Object.keys(english).length) english = await load('en');
  strings = want === 'en' ? english : await load(want);
  lang = want;
  localStorage.setItem(STORE_KEY, want);
  document.documentElement.lang = want;
  return want;
}

export function getLang() { return lang; }

// A key in a table: itself, or its plural variants (".other" is always among them).
const inTable = (table, key) => key in table || key + '.other' in table;

export function has(key) { return inTable(strings, key) || inTable(english, key); }

// The count a plural is chosen by: a number, or a number's text with its grouping
// separators (fmt.number's "1,963", "1 963") taken out. NaN when it is no number.
function countOf(v) {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const bare = v.replace(/[\s,'\u00a0\u202f]/g, '');
  return /^-?\d+(\.\d+)?$/.test(bare) ? Number(bare) : NaN;
}

// The text of key in table for the count n (undefined when the table has none): the
// plural category's variant, else the plain key, else ".other".
function pick(table, key, code, n) {
  if (!Number.isNaN(n)) {
    const cat = new Intl.PluralRules(code).select(n);
    if (key + '.' + cat in table) return table[key + '.' + cat];
  }
  return key in table ? table[key] : table[key + '.other'];
}

export function t(key, vars) {
  const n = vars && 'n' in vars ? countOf(vars.n) : NaN;
  let s = pick(strings, key, lang, n);
  if (s === undefined) s = pick(english, key, 'en', n);
  if (s === undefined) {
    console.error('i18n: no string for "' + key + '"');
    return key;
  }
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

function toDate(v) {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v;
  // a bare date (2024-11-15) is a calendar day: shown as that day whatever the zone
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(v + 'T12:00:00Z');
  const d = new Date(v);
  return isNaN(d) ? null : d;
}

const dash = '—';

export const fmt = {
  number(n, opts = {}) {
    if (n === null || n === undefined || Number.isNaN(Number(n))) return dash;
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 2, ...opts }).format(Number(n));
  },
  // a fraction: 0.031 -> "3.1%"
  percent(x, digits = 1) {
    if (x === null || x === undefined || Number.isNaN(Number(x))) return dash;
    return new Intl.NumberFormat(lang, {
      style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: digits,
    }).format(Number(x));
  },
  // amount is the API's decimal text in major units ("21.90" euros, never minor units, as
  // {"amount", "currency"} gives it), or a number of major units; or the whole
  // {"amount", "currency"} object with currency omitted.
  money(amount, currency) {
    if (amount && typeof amount === 'object') {
      currency = amount.currency;
      amount = amount.amount;
    }
    if (amount === null || amount === undefined || amount === '') return dash;
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency: currency || 'USD' })
        .format(Number(amount));
    } catch {
      return amount + ' ' + (currency || '');
    }
  },
  date(v) {
    const d = toDate(v);
    if (!d) return dash;
    const bare = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    return new Intl.DateTimeFormat(lang, {
      year: 'numeric', month: 'short', day: 'numeric', ...(bare ? { timeZone: 'UTC' } : {}),
    }).format(d);
  },
  datetime(v) {
    const d = toDate(v);
    if (!d) return dash;
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
  },
  // "in 3 days", "2 hours ago", relative to now (or to `from`)
  relative(v, from = new Date()) {
    const d = toDate(v);
    if (!d) return dash;
    const s = (d.getTime() - toDate(from).getTime()) / 1000;
    const abs = Math.abs(s);
    const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
    if (abs < 60) return rtf.format(Math.round(s), 'second');
    if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
    if (abs < 86400) return rtf.format(Math.round(s / 3600), 'hour');
    if (abs < 86400 * 60) return rtf.format(Math.round(s / 86400), 'day');
    if (abs < 86400 * 730) return rtf.format(Math.round(s / (86400 * 30)), 'month');
    return rtf.format(Math.round(s / (86400 * 365)), 'year');
  },
};
