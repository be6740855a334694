// dash.js - what the pages Account health, Stock, Orders at risk, Logistics and
// Marketplace share: the day they look at, and the names a person reads in place of ids
// and codes (shops, SKUs, warehouses, regions, rules). Each lookup is one API call per
// page view, cached for the page's life in the ctx it was given.
import { h, chip } from '/ui.js';

function cache(ctx) {
  if (!ctx._dash) ctx._dash = {};
  return ctx._dash;
}

// The day the pages look at: the hash's ?as_of=, else the as-of of the organisation's
// last daily cycle (what its people decided on), else now. An ISO instant, or null (now).
export async function asOf(ctx) {
  const c = cache(ctx);
  if ('asOf' in c) return c.asOf;
  let v = ctx.query.get('as_of');
  if (!v) {
    try {
      const r = await ctx.api.get('/cycles', { limit: 1 });
      v = r.cycles && r.cycles[0] ? r.cycles[0].as_of : null;
    } catch (e) {
      v = null;
    }
  }
  c.asOf = v;
  return v;
}

// The calendar day an as-of instant ends ("2024-11-15T00:00:00Z" is the end of the 14th).
export function dayOf(instant) {
  const t = instant ? new Date(instant) : new Date();
  return new Date(t.getTime() - 1000).toISOString().slice(0, 10);
}

export async function shops(ctx) {
  const c = cache(ctx);
  if (!c.shops) {
    const r = await ctx.api.get('/shops');
    c.shops = new Map((r.shops || []).map((s) => [s.id, s]));
  }
  return c.shops;
}

export async function shopName(ctx, id) {
  const s = (await shops(ctx)).get(id);
  return s ? s.name : ctx.t('dash.unknown_shop');
}

export async function skus(ctx) {
  const c = cache(ctx);
  if (!c.skus) {
    const list = await ctx.api.all('/skus', {}, 'skus');
    c.skus = new Map(list.map((k) => [k.sku, k]));
  }
  return c.skus;
}

// The names of region codes (CN-ZJ, US, DE-BE:101) in the reader's language, from
// GET /api/v1/regions; a code the lists do not know keeps its country's name.
export async function regions(ctx, codes) {
  const c = cache(ctx);
  if (!c.regions) c.regions = new Map();
  const want = [...new Set(codes.filter(Boolean).map((x) => x.split(':')[0]))]
    .filter((x) => !c.regions.has(x));
  for (let i = 0; i < want.length; i += 200) {
    const part = want.slice(i, i + 200);
    try {
      const r = await ctx.api.get('/regions', { codes: part.join(','), locale: ctx.lang });
      for (const x of r.regions || []) if (x.name) c.regions.set(x.code, x.name);
    } catch (e) {
      console.warn('region names:', e.message);
    }
  }
  return c.regions;
}

// A region's name: its own, else its country's (Intl), else the code.
export function regionName(ctx, map, code) {
  if (!code) return ctx.t('common.none');
  const bare = code.split(':')[0];
  if (map && map.get(bare)) return map.get(bare);
  const country = bare.split('-')[0];
  if (map && map.get(country)) return map.get(country);
  try {
    const n = new Intl.DisplayNames([ctx.lang], { type: 'region' }).of(country);
    if (n && n !== country) return n;
  } catch (e) { /* not a country code */ }
  return bare;
}

// A rule of a profile in words: "Late shipment rate (10 days)".
export function ruleName(ctx, metric, days) {
  const key = 'dash.metric.' + metric;
  const name = ctx.has(key) ? ctx.t(key) : metric.replace(/_/g, ' ');
  return days ? ctx.t('dash.rule_days', { rule: name, days: ctx.t('common.days', { n: ctx.fmt.number(days) }) }) : name;
}

export function ratingChip(ctx, rating) {
  if (!rating) return chip(ctx.t('dash.rating.none'), 'muted');
  if (/^[1-5]$/.test(rating)) { // star bands (Kuaishou, Douyin, Olist)
    const n = Number(rating);
    return chip(ctx.t('dash.rating.stars', { n }), n >= 4 ? 'ok' : n === 3 ? 'warn' : 'bad');
  }
  const kind = { good: 'ok', excellent: 'ok', fair: 'warn', at_risk: 'bad', poor: 'bad',
    critical: 'bad', great: 'ok' }[rating] || 'info';
  const key = 'dash.rating.' + rating;
  return chip(ctx.has(key) ? ctx.t(key) : rating.replace(/_/g, ' '), kind);
}

export function statusChip(ctx, status) {
  const kind = { ok: 'ok', at_risk: 'warn', breach: 'bad', no_data: 'muted' }[status] || 'muted';
  return chip(ctx.t('dash.status.' + status), kind);
}

// A rate as the profiles give it (a fraction) in the reader's locale.
export function rate(ctx, v) {
  return v === null || v === undefined ? ctx.t('dash.no_data') : ctx.fmt.percent(v, 2);
}

export function pageHead(ctx, title, sub, ...actions) {
  return h('div', { class: 'page-head' },
    h('div', {}, h('h1', {}, title), sub ? h('p', { class: 'sub' }, sub) : null),
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}

// "as of 15 Nov 2024" under a page's title, when the day is not today.
export function asOfLine(ctx, instant) {
  return instant ? ctx.t('dash.as_of', { date: ctx.fmt.date(dayOf(instant)) }) : null;
}

// Adds the pages' shared style sheet (web/dash.css) and the page's own
// (web/pages/ID.css) once each (CSP style-src 'self': no inline style).
export function pageStyle(id) {
  for (const href of ['/dash.css', '/pages/' + id + '.css']) {
    if (!document.querySelector('link[href="' + href + '"]')) {
      document.head.append(h('link', { rel: 'stylesheet', href }));
    }
  }
}

// A region picker: a country, then (optionally) one of its subdivisions, named in the
// reader's language (GET /api/v1/regions). picker.value is the code (CN or CN-GD).
export async function regionPicker(ctx, { id, label, value }) {
  const [cc, sub] = (value || '').split('-');
  const country = h('select', { id: id + '-country', name: id + '-country' });
  const subdiv = h('select', { id: id + '-sub', name: id + '-sub' });
  const list = await ctx.api.get('/regions', { locale: ctx.lang });
  for (const r of list.regions || []) {
    country.append(h('option', { value: r.code, selected: r.code === cc }, r.name || r.code));
  }
  async function fill(want) {
    subdiv.replaceChildren(h('option', { value: '' }, ctx.t('dash.whole_country')));
    try {
      const s = await ctx.api.get('/regions', { country: country.value, locale: ctx.lang });
      for (const r of s.regions || []) {
        subdiv.append(h('option', { value: r.code, selected: r.code === want }, r.name || r.code));
      }
    } catch (e) {
      console.warn('subdivisions:', e.message);
    }
  }
  await fill(sub ? cc + '-' + sub : '');
  country.addEventListener('change', () => fill(''));
  const el = h('fieldset', { class: 'field region-picker' },
    h('legend', {}, label),
    h('label', { for: id + '-country', class: 'sr-only' }, ctx.t('dash.country')), country,
    h('label', { for: id + '-sub', class: 'sr-only' }, ctx.t('dash.subdivision')), subdiv);
  return { el, get value() { return subdiv.value || country.value; } };
}
