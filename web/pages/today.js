// pages/today.js - what needs a decision first: messages and playbook actions waiting
// for a person, stock-outs ahead, shops at risk; the disruptions in force; the last
// cycle and the next. Everything is as of the last cycle's day (the day the data was
// last worked through), or now when no cycle has run.
import { h, clear, card, table, chip, empty, errorBox } from '../ui.js';
import { regionNames, regionLabel } from '../regions.js';
import { actionReason } from '../words.js';

const RISKY = new Set(['breach', 'at_risk']);

async function settle(promises) {
  const out = {};
  const keys = Object.keys(promises);
  const res = await Promise.allSettled(keys.map((k) => promises[k]));
  keys.forEach((k, i) => { out[k] = res[i].status === 'fulfilled' ? res[i].value : { error: res[i].reason }; });
  return out;
}

function stat(ctx, { id, value, label, href, kind }) {
  return h('a', { class: 'stat-card stat-' + (kind || 'muted'), href, id: 'today-' + id },
    h('span', { class: 'stat' }, ctx.fmt.number(value)), h('span', { class: 'stat-label' }, label));
}

function section(ctx, title, data, body) {
  if (data && data.error) return card(title, errorBox(data.error, ctx.t, ctx.has));
  return card(title, body());
}

function byKind(messages) {
  const m = new Map();
  for (const x of messages) m.set(x.kind, (m.get(x.kind) || 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

function kindWord(ctx, kind) {
  return ctx.has('messages.kind.' + kind) ? ctx.t('messages.kind.' + kind) : kind;
}

function decisions(ctx, d) {
  const { t, fmt } = ctx;
  const parts = [];
  if (d.planned.error || d.held.error) return errorBox(d.planned.error || d.held.error, t, ctx.has);
  const waiting = byKind(d.planned);
  parts.push(h('h3', {}, t('today.messages_waiting', { n: fmt.number(d.planned.length) })));
  parts.push(waiting.length
    ? h('ul', { class: 'plain' }, waiting.map(([k, n]) => h('li', {},
      h('a', { href: '#/messages?state=planned&kind=' + encodeURIComponent(k) }, kindWord(ctx, k)),
      ' ', chip(fmt.number(n), 'info'))))
    : empty(t('today.nothing_waiting')));
  if (d.held.length) {
    parts.push(h('p', {}, h('a', { href: '#/messages?state=held' },
      t('today.messages_held', { n: fmt.number(d.held.length) }))));
  }
  parts.push(h('h3', {}, t('today.actions_waiting', { n: fmt.number(d.actions.error ? 0 : d.actions.length) })));
  if (d.actions.error) parts.push(errorBox(d.actions.error, t, ctx.has));
  else if (!d.actions.length) parts.push(empty(t('today.no_actions')));
  else {
    parts.push(table({
      columns: [
        { label: t('today.col_action'), value: (a) => ctx.has('actions.kind.' + a.kind) ? t('actions.kind.' + a.kind) : a.kind },
        { label: t('today.col_target'), value: (a) => a.target },
        { label: t('today.col_why'), value: (a) => actionReason(ctx, a) },
      ],
      rows: d.actions.slice(0, 10),
    }));
    parts.push(h('p', {}, h('a', { href: '#/stock' }, t('today.decide_actions'))));
  }
  return parts;
}

function stockouts(ctx, d) {
  const { t, fmt } = ctx;
  const rows = d.alerts.filter((a) => a.kind === 'stockout').sort((a, b) => a.value - b.value);
  if (!rows.length) return empty(t('today.no_stockouts'));
  const day = (a) => {
    const base = new Date(d.asOfDay + 'T00:00:00Z');
    base.setUTCDate(base.getUTCDate() + Number(a.value));
    return base.toISOString().slice(0, 10);
  };
  return [
    h('p', { class: 'muted' }, t('today.stockouts_lede', { n: fmt.number(rows.length) })),
    table({
      columns: [
        { label: t('today.col_sku'), value: (a) => h('span', {}, h('strong', {}, a.sku), ' ', h('span', { class: 'muted' }, d.skuNames.get(a.sku) || '')) },
        { label: t('today.col_runs_out'), value: (a) => fmt.date(day(a)) },
        { label: t('today.col_days'), num: true, value: (a) => fmt.number(a.value) },
      ],
      rows: rows.slice(0, 8),
    }),
    rows.length > 8 ? h('p', {}, h('a', { href: '#/stock' }, t('today.all_stockouts', { n: fmt.number(rows.length) }))) : null,
  ];
}

function shopsAtRisk(ctx, d) {
  const { t, fmt } = ctx;
  const risky = d.assess.shops
    .map((s) => ({ ...s, bad: (s.rules || []).filter((r) => RISKY.has(r.status)) }))
    .filter((s) => s.bad.length)
    .sort((a, b) => (a.score ?? 101) - (b.score ?? 101));
  if (!risky.length) return empty(t('today.no_shops_at_risk'));
  const metric = (m) => (ctx.has('metric.' + m) ? t('metric.' + m) : m);
  return table({
    columns: [
      { label: t('today.col_shop'), value: (s) => h('a', { href: '#/health/' + encodeURIComponent(s.shop) }, d.shopNames.get(s.shop) || s.shop) },
      { label: t('today.col_rating'), value: (s) => s.rating ? chip(ctx.has('rating.' + s.rating) ? t('rating.' + s.rating) : s.rating, s.bad.some((r) => r.status === 'breach') ? 'bad' : 'warn') : '' },
      { label: t('today.col_score'), num: true, value: (s) => fmt.number(s.score, { maximumFractionDigits: 0 }) },
      { label: t('today.col_failing'), value: (s) => s.bad.map((r) => h('div', {},
        chip(t('status.' + r.status), r.status === 'breach' ? 'bad' : 'warn'), ' ',
        metric(r.metric), ' ', h('span', { class: 'muted' }, t('today.window', { n: r.window_days }), ' '), h('span', { class: 'muted' },
          r.target === null || r.target === undefined ? fmt.percent(r.value)
            : t('today.value_target', { value: fmt.percent(r.value), target: fmt.percent(r.target) })))) },
    ],
    rows: risky,
  });
}

function disruptions(ctx, d) {
  const { t, fmt } = ctx;
  if (!d.list.length) return empty(t('today.no_disruptions'));
  return h('ul', { class: 'region-list' }, d.list.map((x) => h('li', {},
    h('a', { href: '#/disruptions/' + x.id }, h('strong', {}, regionLabel(d.names, x.region))),
    ' ', chip(ctx.has('disruptions.kind.' + x.kind) ? t('disruptions.kind.' + x.kind) : x.kind, 'warn'),
    ' ', h('span', { class: 'muted' }, t('disruptions.scope.' + x.scope)),
    h('div', { class: 'muted small' }, x.until_further_notice || !x.effective_end
      ? t('today.since_open', { from: fmt.date(x.starts_at) })
      : t('today.since_until', { from: fmt.date(x.starts_at), to: fmt.date(x.effective_end) })),
    x.note ? h('div', { class: 'small' }, x.note) : null)));
}

function cycles(ctx, last, org) {
  const { t, fmt } = ctx;
  const out = [];
  if (!last) out.push(empty(t('today.no_cycle')));
  else {
    const s = last.summary || {};
    out.push(h('p', {}, chip(t('cycle.state.' + last.state), last.state === 'done' ? 'ok' : last.state === 'failed' ? 'bad' : 'info'), ' ',
      t('today.cycle_line', { day: fmt.date(last.stock_day), when: fmt.relative(last.finished_at || last.started_at) })));
    out.push(h('dl', { class: 'facts' },
      [['messages_planned', s.messages_planned], ['actions_applied', s.actions_applied],
        ['alerts_new', s.alerts_new], ['stockouts', s.stockouts], ['shops_at_risk', s.shops_at_risk]]
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [h('dt', {}, t('today.sum_' + k)), h('dd', {}, fmt.number(v))])));
    if (last.error) out.push(h('p', { class: 'notice notice-error' }, last.error.message || last.error));
  }
  if (org && org.next_cycle) {
    out.push(h('p', {}, t('today.next_cycle', { when: fmt.datetime(org.next_cycle.at), tz: org.cycle_tz })));
  } else {
    out.push(h('p', { class: 'muted' }, t('today.no_schedule')));
  }
  return out;
}

// A marketplace's Today: its merchants' shops, the lowest score first (the score and the
// rating each merchant's marketplace profile gives), with the orders a rule exempted.
async function merchantView(el, ctx, base) {
  const { t, api, fmt } = ctx;
  const m = await api.get('/merchants');
  const names = new Map();
  await Promise.all(m.merchants.map(async (mer) => {
    try {
      const r = await api.get('/shops', {}, { org: mer.name });
      for (const s of r.shops) names.set(mer.name + '/' + s.id, s.name);
    } catch (e) { console.warn(e); }
  }));
  const rows = [];
  for (const mer of m.merchants) {
    for (const s of mer.shops || []) rows.push({ merchant: mer.name, ...s });
  }
  rows.sort((a, b) => (a.score ?? 101) - (b.score ?? 101));
  el.append(card(t('today.merchants_shops'), rows.length ? table({
    columns: [
      { label: t('today.col_merchant'), value: (r) => r.merchant },
      { label: t('today.col_shop'), value: (r) => names.get(r.merchant + '/' + r.shop) || r.shop },
      { label: t('today.col_rating'), value: (r) => (r.rating ? chip(ctx.has('rating.' + r.rating) ? t('rating.' + r.rating) : r.rating, 'muted') : '') },
      { label: t('today.col_score'), num: true, value: (r) => fmt.number(r.score, { maximumFractionDigits: 0 }) },
      { label: t('today.col_exempt'), num: true, value: (r) => fmt.number(r.exempt_orders) },
    ],
    rows: rows.slice(0, 20),
    caption: rows.length > 20 ? t('today.lowest_n', { n: 20, all: fmt.number(rows.length) }) : null,
  }) : empty(t('today.no_merchants'))));
  el.append(base);
}

export default {
  id: 'today',
  title: 'today.title',
  async render(el, ctx) {
    const { t, api, fmt, lang } = ctx;
    const [cyc, org] = await Promise.all([api.get('/cycles', { limit: 1 }), api.get('/org')]);
    const last = cyc.cycles[0] || null;
    const asOf = last ? last.as_of : new Date().toISOString();
    const asOfDay = last ? last.stock_day : asOf.slice(0, 10);
    clear(el, h('div', { class: 'page-head' }, h('h1', {}, t('today.title')),
      h('span', { class: 'sub' }, last ? t('today.as_of', { day: fmt.date(asOfDay) }) : t('today.no_cycle_short'))));

    const dis = await settle({ list: api.get('/disruptions', { active_at: asOf }) });
    const disData = dis.list.error ? dis.list : { list: dis.list.disruptions };
    if (!disData.error) {
      try { disData.names = await regionNames(api, disData.list.map((x) => x.region), lang); } catch (e) { disData.error = e; }
    }
    const disCard = section(ctx, t('today.disruptions'), disData, () => disruptions(ctx, disData));
    const cycCard = card(t('today.cycle'), cycles(ctx, last, org));

    if (ctx.me.org.kind === 'platform') {
      await merchantView(el, ctx, h('div', { class: 'grid-2' }, disCard, cycCard));
      return;
    }
    const d = await settle({
      planned: api.all('/messages', { state: 'planned' }, 'messages'),
      held: api.all('/messages', { state: 'held' }, 'messages'),
      actions: api.all('/actions', { state: 'proposed' }, 'actions'),
      alerts: api.all('/alerts', { as_of: asOf }, 'alerts'),
      assess: api.get('/assessments', { as_of: asOf }),
      shops: api.get('/shops'),
      skus: api.all('/skus', {}, 'skus'),
    });
    d.asOfDay = asOfDay;
    d.shopNames = new Map(d.shops.error ? [] : d.shops.shops.map((s) => [s.id, s.name]));
    d.skuNames = new Map(d.skus.error ? [] : d.skus.map((s) => [s.sku, s.name]));
    const n = (x) => (x && !x.error ? x.length : 0);
    const stockoutCount = d.alerts.error ? 0 : d.alerts.filter((a) => a.kind === 'stockout').length;
    const riskyCount = d.assess.error ? 0 : d.assess.shops.filter((s) => (s.rules || []).some((r) => RISKY.has(r.status))).length;
    el.append(h('div', { class: 'stats' },
      stat(ctx, { id: 'messages', value: n(d.planned), label: t('today.stat_messages'), href: '#/messages?state=planned', kind: n(d.planned) ? 'info' : 'muted' }),
      stat(ctx, { id: 'held', value: n(d.held), label: t('today.stat_held'), href: '#/messages?state=held', kind: n(d.held) ? 'warn' : 'muted' }),
      stat(ctx, { id: 'actions', value: n(d.actions), label: t('today.stat_actions'), href: '#/stock', kind: n(d.actions) ? 'info' : 'muted' }),
      stat(ctx, { id: 'stockouts', value: stockoutCount, label: t('today.stat_stockouts'), href: '#/stock', kind: stockoutCount ? 'bad' : 'ok' }),
      stat(ctx, { id: 'shops', value: riskyCount, label: t('today.stat_shops'), href: '#/health', kind: riskyCount ? 'warn' : 'ok' })));
    el.append(h('div', { class: 'grid-2' },
      card(t('today.decisions'), decisions(ctx, d)),
      section(ctx, t('today.stockouts'), d.alerts, () => stockouts(ctx, d))));
    el.append(section(ctx, t('today.shops_at_risk'), d.assess, () => shopsAtRisk(ctx, d)));
    el.append(h('div', { class: 'grid-2' }, disCard, cycCard));
  },
};
