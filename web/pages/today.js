// pages/today.js - what needs a decision first: messages and playbook actions waiting
// for a person, stock-outs ahead, shops at risk; the disruptions in force; the last
// cycle and the next. Everything is as of the last cycle's day (the day the data was
// last worked through), or now when no cycle has run. One summary answers it all
// (GET /today: counts and the first rows, never whole lists), with GET /org for the
// schedule and /regions for the names of the disruptions' places.
import { h, clear, card, table, chip, empty, errorBox } from '../ui.js';
import { regionNames, regionLabel } from '../regions.js';
import { actionReason } from '../words.js';
import { dayOf } from '/dash.js';

const RISKY = new Set(['breach', 'at_risk']);

function stat(ctx, { id, value, label, href, kind }) {
  return h('a', { class: 'stat-card stat-' + (kind || 'muted'), href, id: 'today-' + id },
    h('span', { class: 'stat' }, ctx.fmt.number(value)), h('span', { class: 'stat-label' }, label));
}

function section(ctx, title, data, body) {
  if (data && data.error) return card(title, errorBox(data.error, ctx.t, ctx.has));
  return card(title, body());
}

function kindWord(ctx, kind) {
  return ctx.has('messages.kind.' + kind) ? ctx.t('messages.kind.' + kind) : kind;
}

// The summary's messages and actions (GET /today: counts, the first rows).
function decisions(ctx, d) {
  const { t, fmt } = ctx;
  const parts = [];
  const m = d.today.messages;
  const waiting = m.by_kind.filter((x) => x.state === 'planned');
  parts.push(h('h3', {}, t('today.messages_waiting', { n: fmt.number(m.planned) })));
  parts.push(waiting.length
    ? h('ul', { class: 'plain' }, waiting.map((x) => h('li', {},
      h('a', { href: '#/messages?state=planned&kind=' + encodeURIComponent(x.kind) }, kindWord(ctx, x.kind)),
      ' ', chip(fmt.number(x.count), 'info'))))
    : empty(t('today.nothing_waiting')));
  if (m.held) {
    parts.push(h('p', {}, h('a', { href: '#/messages?state=held' },
      t('today.messages_held', { n: fmt.number(m.held) }))));
  }
  const a = d.today.actions;
  parts.push(h('h3', {}, t('today.actions_waiting', { n: fmt.number(a.proposed) })));
  if (!a.proposed) parts.push(empty(t('today.no_actions')));
  else {
    parts.push(table({
      columns: [
        { label: t('today.col_action'), value: (x) => ctx.has('actions.kind.' + x.kind) ? t('actions.kind.' + x.kind) : x.kind },
        { label: t('today.col_target'), value: (x) => x.target },
        { label: t('today.col_why'), value: (x) => actionReason(ctx, x) },
      ],
      rows: a.first,
    }));
    parts.push(h('p', {}, h('a', { href: '#/stock' }, t('today.decide_actions'))));
  }
  return parts;
}

// The purchase orders past their day, the latest first, by name (GET /today overdue_pos).
function overduePos(ctx, d) {
  const { t, fmt } = ctx;
  const od = d.today.overdue_pos;
  if (!od || !od.count) return null;
  return h('div', { id: 'today-overdue' },
    h('p', { class: 'muted' }, t('today.overdue_lede', { n: fmt.number(od.count), days: t('common.days', { n: fmt.number(od.overdue_days) }) })),
    h('ul', {}, od.latest.map((x) => h('li', {}, t(x.counted ? 'today.overdue_counted' : 'today.overdue_dropped', {
      po: x.po || '', supplier: x.supplier || t('stock.no_supplier'), due: fmt.date(x.due),
      late: t('common.days', { n: fmt.number(x.days_late) }), units: t('common.units', { n: fmt.number(x.units) }), sku: x.sku, name: x.name || x.sku,
    })))));
}

function stockouts(ctx, d) {
  const { t, fmt } = ctx;
  const so = d.today.stockouts;
  if (!so.count) return [empty(t('today.no_stockouts')), overduePos(ctx, d)];
  return [
    h('p', { class: 'muted', id: 'today-stockouts-lede' }, so.within_days
      ? t('today.stockouts_lede_within', { n: fmt.number(so.count), days: t('common.days', { n: fmt.number(so.within_days) }) })
      : t('today.stockouts_lede', { n: fmt.number(so.count) })),
    table({
      columns: [
        { label: t('today.col_sku'), value: (a) => h('span', {}, h('strong', {}, a.sku), ' ', h('span', { class: 'muted' }, a.name || '')) },
        { label: t('today.col_runs_out'), value: (a) => fmt.date(a.date) },
        { label: t('today.col_days'), num: true, value: (a) => fmt.number(a.days) },
      ],
      rows: so.soonest,
    }),
    so.count > so.soonest.length ? h('p', {}, h('a', { href: '#/stock' }, t('today.all_stockouts', { n: fmt.number(so.count) }))) : null,
    overduePos(ctx, d),
  ];
}

function shopsAtRisk(ctx, d) {
  const { t, fmt } = ctx;
  const risky = d.today.shops_at_risk.shops
    .map((s) => ({ ...s, bad: (s.rules || []).filter((r) => RISKY.has(r.status)) }));
  if (!risky.length) return empty(t('today.no_shops_at_risk'));
  const metric = (m) => (ctx.has('metric.' + m) ? t('metric.' + m) : m);
  return table({
    columns: [
      { label: t('today.col_shop'), value: (s) => h('a', { href: '#/health/' + encodeURIComponent(s.shop) }, s.name || s.shop) },
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
        // the cycle counts the stock-outs within its own horizon (14 days unless asked),
        // Today's card the stock-out alerts (the plan's 30): each says its days
        .map(([k, v]) => [h('dt', { id: 'today-sum-' + k }, k === 'stockouts' && s.stockout_days
          ? t('today.sum_stockouts_within', { n: fmt.number(s.stockout_days) }) : t('today.sum_' + k)),
        h('dd', {}, fmt.number(v))])));
    // the step's diagnostic is the server's English: said in words here
    if (last.error || last.state === 'failed') out.push(h('p', { class: 'notice notice-error' }, t('today.cycle_error')));
  }
  if (org && org.next_cycle) {
    out.push(h('p', {}, t('today.next_cycle', { when: fmt.datetime(org.next_cycle.at), tz: org.cycle_tz })));
  } else {
    out.push(h('p', { class: 'muted' }, t('today.no_schedule'), ' ',
      h('code', { translate: 'no', lang: 'en' }, 'ballast org set --cycle-at 06:30')));
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
    const platform = ctx.me.org.kind === 'platform';
    // one summary (GET /today, as of the last cycle) and the schedule, side by side
    const [today, org] = await Promise.all([api.get('/today', { locale: ctx.lang }), api.get('/org')]);
    const last = today.cycle;
    // the day the data ends, as the Stock and Logistics pages say it (dash.js dayOf)
    const asOfDay = dayOf(today.as_of);
    clear(el, h('div', { class: 'page-head' }, h('h1', {}, t('today.title')),
      h('span', { class: 'sub' }, last ? t('today.as_of', { day: fmt.date(asOfDay) }) : t('today.no_cycle_short'))));

    const disData = { list: today.disruptions.in_force };
    try { disData.names = await regionNames(api, disData.list.map((x) => x.region), lang); } catch (e) { disData.error = e; }
    const disCard = section(ctx, t('today.disruptions'), disData, () => disruptions(ctx, disData));
    const cycCard = card(t('today.cycle'), cycles(ctx, last, org));

    if (platform) {
      await merchantView(el, ctx, h('div', { class: 'grid-2' }, disCard, cycCard));
      return;
    }
    const d = { today };
    const m = today.messages;
    const stockoutCount = today.stockouts.count || 0;
    const riskyCount = today.shops_at_risk.count;
    el.append(h('div', { class: 'stats' },
      stat(ctx, { id: 'messages', value: m.planned, label: t('today.stat_messages'), href: '#/messages?state=planned', kind: m.planned ? 'info' : 'muted' }),
      stat(ctx, { id: 'held', value: m.held, label: t('today.stat_held'), href: '#/messages?state=held', kind: m.held ? 'warn' : 'muted' }),
      stat(ctx, { id: 'actions', value: today.actions.proposed, label: t('today.stat_actions'), href: '#/stock', kind: today.actions.proposed ? 'info' : 'muted' }),
      stat(ctx, { id: 'stockouts', value: stockoutCount, label: today.stockouts.within_days
        ? t('today.stat_stockouts_within', { n: fmt.number(today.stockouts.within_days) }) : t('today.stat_stockouts'),
      href: '#/stock?filter=stockout', kind: stockoutCount ? 'bad' : 'ok' }),
      stat(ctx, { id: 'shops', value: riskyCount, label: t('today.stat_shops'), href: '#/health', kind: riskyCount ? 'warn' : 'ok' })));
    el.append(h('div', { class: 'grid-2' },
      card(t('today.decisions'), decisions(ctx, d)),
      card(t('today.stockouts'), stockouts(ctx, d))));
    el.append(card(t('today.shops_at_risk'), shopsAtRisk(ctx, d)));
    el.append(h('div', { class: 'grid-2' }, disCard, cycCard));
  },
};
