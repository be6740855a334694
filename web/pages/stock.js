// stock.js - Stock: the runway of every SKU (#/stock) and one SKU (#/stock/SKU): stock per
// warehouse, the forecast against the history with its p50-p90 band (chart and table),
// the stock-out date, the reorder plan and its order-by date, and the playbook's actions
// with their reasons and what reverts them; an operator approves, rejects or reverts one.
// Reads GET /stock/summary (the list), /plans, /stock, /forecasts, /sales, /skus (one SKU),
// /actions; writes POST
// /actions/{id}/approve|reject|revert, and /actions/approve|reject {plan} (a plan at once).
import { h, clear, card, table, empty, chip, errorBox } from '/ui.js';
import { chart } from '/charts.js';
import { asOf, asOfLine, skus, regions, regionName, pageHead, pageStyle } from '/dash.js';
import { actorText, actionReason, alertText } from '/words.js';

const RUNWAY_ROWS = 25;
const ACTION_ROWS = 8;

function key() {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return 'web-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function days(ctx, n) {
  return n === null || n === undefined ? '—' : ctx.t('stock.days', { n: ctx.fmt.number(n, { maximumFractionDigits: 1 }) });
}

function dateOr(ctx, d, none) {
  return d ? ctx.fmt.date(d) : ctx.t(none);
}

// ---- the playbook's actions, in words

function valueText(ctx, a, v) {
  switch (a.field) {
    case 'listing': return ctx.t('stock.listing.' + v);
    case 'promoted': return ctx.t(v === '1' ? 'stock.promoted_on' : 'stock.promoted_off');
    case 'marketing_mail_paused': return ctx.t(v === '1' ? 'stock.mail_paused' : 'stock.mail_on');
    case 'handling_max': return ctx.t('stock.handling_days', { n: ctx.fmt.number(Number(v)) });
    case 'vacation': return ctx.t(v === '1' ? 'stock.vacation_on' : 'stock.vacation_off');
    default: return v;
  }
}

function stateChip(ctx, state) {
  const kind = { proposed: 'info', applied: 'ok', undone: 'warn', rejected: 'muted',
    reverted: 'muted', withdrawn: 'muted', expired: 'muted' }[state] || 'muted';
  return chip(ctx.t('stock.state.' + state), kind);
}

function whenText(ctx, a) {
  if (a.state === 'undone' || a.state === 'rejected') {
    return ctx.t('stock.decided', { who: actorText(ctx, a.decided_by_actor), when: ctx.fmt.datetime(a.decided_at) });
  }
  if (a.state === 'reverted' || a.state === 'withdrawn' || a.state === 'expired') return ctx.t('stock.closed', { when: ctx.fmt.datetime(a.closed_at) });
  if (a.state === 'applied') {
    return a.decided_by ? ctx.t('stock.approved', { who: actorText(ctx, a.decided_by_actor), when: ctx.fmt.datetime(a.applied_at) })
      : ctx.t('stock.applied_auto', { when: ctx.fmt.datetime(a.applied_at) });
  }
  return ctx.t('stock.proposed_at', { when: ctx.fmt.datetime(a.proposed_at) });
}

async function decide(ctx, a, verb, btn, status) {
  btn.disabled = true;
  try {
    await ctx.api.post('/actions/' + a.id + '/' + verb, {}, { idempotencyKey: key() });
    ctx.refresh();
  } catch (e) {
    btn.disabled = false;
    clear(status, errorBox(e, ctx.t, ctx.has));
  }
}

function actionButtons(ctx, a, status) {
  if (!ctx.can('operate')) return null;
  const mk = (verb, label, cls) => {
    const b = h('button', { type: 'button', class: 'btn ' + cls, 'data-action': verb,
      'aria-label': ctx.t('stock.' + verb + '_aria', { kind: ctx.t('stock.kind.' + a.kind), target: a.target_name }) }, label);
    b.addEventListener('click', () => decide(ctx, a, verb, b, status));
    return b;
  };
  if (a.state === 'proposed') {
    return h('span', { class: 'actions' }, mk('approve', ctx.t('common.approve'), 'btn-primary'),
      mk('reject', ctx.t('common.reject'), ''));
  }
  if (a.state === 'applied') return mk('revert', ctx.t('stock.revert'), '');
  return null;
}

// ---- a what-if's plan decided at once (POST /actions/approve|reject {plan}), all or none

const PLAN_WORDS = /^(.*) as of (\d{4}-\d{2}-\d{2}), plan (\d+)$/;

async function decidePlan(ctx, plan, verb, btns, status) {
  btns.forEach((b) => { b.disabled = true; });
  try {
    await ctx.api.post('/actions/' + verb, { plan }, { idempotencyKey: key() });
    ctx.refresh();
  } catch (e) {
    btns.forEach((b) => { b.disabled = false; });
    clear(status, errorBox(e, ctx.t, ctx.has));
  }
}

function planSets(ctx, proposed) {
  if (!ctx.can('operate')) return null;
  const plans = new Map();
  for (const a of proposed) if (a.plan) plans.set(a.plan, (plans.get(a.plan) || 0) + 1);
  const rows = [];
  for (const [plan, n] of plans) {
    if (n < 2) continue;
    const m = PLAN_WORDS.exec(plan);
    const name = m ? ctx.t('stock.plan_name', { source: m[1], date: ctx.fmt.date(m[2]), rank: ctx.fmt.number(Number(m[3])), n: ctx.fmt.number(n) })
      : plan;
    const status = h('div', { role: 'status' });
    const approve = h('button', { type: 'button', class: 'btn btn-primary', 'data-plan-action': 'approve' },
      ctx.t('stock.plan_approve_all', { n: ctx.fmt.number(n) }));
    const reject = h('button', { type: 'button', class: 'btn', 'data-plan-action': 'reject' },
      ctx.t('stock.plan_reject_all', { n: ctx.fmt.number(n) }));
    approve.addEventListener('click', () => decidePlan(ctx, plan, 'approve', [approve, reject], status));
    reject.addEventListener('click', () => decidePlan(ctx, plan, 'reject', [approve, reject], status));
    rows.push(h('div', { class: 'plan-set' }, h('p', {}, name), h('span', { class: 'actions' }, approve, reject), status));
  }
  return rows.length ? h('div', { class: 'plan-sets' }, ...rows) : null;
}

function actionsTable(ctx, list, caption, withTarget) {
  const status = h('div', { role: 'status' });
  const cols = [];
  if (withTarget) {
    cols.push({ label: ctx.t('stock.col_target'), value: (a) => (a.target_type === 'sku'
      ? h('a', { href: '#/stock/' + encodeURIComponent(a.target) }, a.target_name) : a.target_name) });
  }
  cols.push(
    { label: ctx.t('stock.col_action'), value: (a) => h('span', {}, h('strong', {}, ctx.t('stock.kind.' + a.kind)),
      h('br'), h('span', { class: 'hint' }, a.field === 'inbound'
        ? ctx.t('stock.inbound_units', { n: ctx.fmt.number(Number(a.after)) })
        : ctx.t('stock.change', { before: valueText(ctx, a, a.before), after: valueText(ctx, a, a.after) }))) },
    { label: ctx.t('stock.col_why'), value: (a) => actionReason(ctx, a) },
    { label: ctx.t('stock.col_reverts'), value: (a) => ctx.t('stock.reverts.' + (a.reverted_when_code || 'restock')) },
    { label: ctx.t('stock.col_state'), value: (a) => h('span', {}, stateChip(ctx, a.state), h('br'),
      h('span', { class: 'hint' }, whenText(ctx, a)),
      a.decision_note ? h('span', { class: 'hint' }, h('br'), ctx.t('stock.note', { note: a.decision_note })) : null) },
  );
  if (ctx.can('operate')) cols.push({ label: ctx.t('stock.col_decide'), value: (a) => actionButtons(ctx, a, status) });
  return [status, table({ caption, columns: cols, rows: list, rowClass: (a) => 'action-' + a.state })];
}

// ---- the list of SKUs: one summary (GET /stock/summary: the counts and a page of the
// runway, the shortest first, named), and the actions waiting or in force

const FILTERS = ['all', 'stockout', 'reorder', 'late'];

async function overview(el, ctx, when) {
  const filter = FILTERS.includes(ctx.query.get('filter')) ? ctx.query.get('filter') : 'all';
  const q = { as_of: when || undefined, filter: filter === 'all' ? undefined : filter };
  const [first, proposed, applied] = await Promise.all([
    ctx.api.get('/stock/summary', { ...q, limit: RUNWAY_ROWS }),
    ctx.api.all('/actions', { state: 'proposed', locale: ctx.lang }, 'actions', 500),
    ctx.api.all('/actions', { state: 'applied', locale: ctx.lang }, 'actions', 500),
  ]);
  const c = first.counts;
  el.append(pageHead(ctx, ctx.t('stock.title'), asOfLine(ctx, when)));
  const stat = (n, label, f) => card(null, h('p', { class: 'stat' }, ctx.fmt.number(n)),
    h('p', { class: 'stat-label' }, f ? h('a', { href: '#/stock?filter=' + f, id: 'stock-stat-' + f }, label) : label));
  el.append(h('div', { class: 'grid stock-stats' },
    stat(c.skus, ctx.t('stock.stat_skus'), null),
    stat(c.stockouts, ctx.t('stock.stat_stockouts_within', { n: ctx.fmt.number(c.stockout_days) }), 'stockout'),
    stat(c.reorder, ctx.t('stock.stat_reorder'), 'reorder'),
    stat(proposed.length, ctx.t('stock.stat_proposed'), null)));

  const acts = [...proposed, ...applied];
  const actBox = h('div', {});
  const drawActs = (n) => clear(actBox, actionsTable(ctx, acts.slice(0, n), ctx.t('stock.actions_caption'), true),
    n < acts.length ? more(ctx, acts.length - n, () => drawActs(acts.length)) : null);
  if (acts.length) drawActs(Math.max(ACTION_ROWS, proposed.length));
  el.append(h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('stock.actions_title')),
    h('p', { class: 'hint' }, ctx.t('stock.actions_hint')), planSets(ctx, proposed),
    acts.length ? actBox : empty(ctx.t('stock.no_actions'))));

  // the runway, a page at a time from the server (which sorted it)
  const rows = [...first.runway];
  let cursor = first.next_cursor;
  const total = c.matching;
  const runBox = h('div', {});
  const status = h('div', { role: 'status' });
  const draw = () => clear(runBox, h('p', { class: 'hint' }, ctx.t('stock.runway_hint', {
    n: ctx.fmt.number(rows.length), total: ctx.fmt.number(total) })),
  runway(ctx, rows), status,
  cursor ? more(ctx, total - rows.length, async (ev) => {
    ev.target.disabled = true;
    try {
      const page = await ctx.api.get('/stock/summary', { ...q, limit: 100, cursor });
      rows.push(...page.runway);
      cursor = page.next_cursor;
      draw();
    } catch (e) {
      ev.target.disabled = false;
      clear(status, errorBox(e, ctx.t, ctx.has));
    }
  }) : null);
  draw();
  const pick = h('select', { id: 'stock-filter', 'aria-label': ctx.t('stock.filter_label') },
    FILTERS.map((f) => h('option', { value: f, selected: f === filter },
      ctx.t('stock.filter.' + f, { n: ctx.fmt.number(c.stockout_days) }))));
  pick.addEventListener('change', () => ctx.navigate('#/stock' + (pick.value === 'all' ? '' : '?filter=' + pick.value)));
  el.append(h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('stock.runway_title')),
    h('p', {}, h('label', { for: 'stock-filter' }, ctx.t('stock.filter_label')), ' ', pick),
    total ? runBox : empty(ctx.t(c.skus ? 'stock.none_match' : 'stock.no_plan'))));
}

function more(ctx, n, fn) {
  return h('button', { type: 'button', class: 'btn btn-link', onclick: fn }, ctx.t('stock.show_more', { n: ctx.fmt.number(n) }));
}

// The warehouse that runs out first, named, with its date (or how long it lasts).
function firstOut(ctx, p) {
  const ws = (p.warehouses || []).filter((w) => w.stockout).sort((a, b) => (a.stockout < b.stockout ? -1 : 1));
  if (!ws.length || (p.warehouses || []).length < 2) return '';
  return ctx.t('stock.wh_first_out', { wh: ws[0].name || ctx.t('stock.unknown_wh'), date: ctx.fmt.date(ws[0].stockout) });
}

function runway(ctx, rows) {
  return table({
      caption: ctx.t('stock.runway_caption'),
      columns: [
        { label: ctx.t('stock.col_sku'), value: (p) => h('a', { href: '#/stock/' + encodeURIComponent(p.sku) }, p.name || ctx.t('stock.unknown_sku')) },
        { label: ctx.t('stock.col_available'), num: true, value: (p) => ctx.fmt.number(p.available) },
        { label: ctx.t('stock.col_daily'), num: true, value: (p) => ctx.fmt.number(p.daily, { maximumFractionDigits: 1 }) },
        { label: ctx.t('stock.col_cover'), num: true, value: (p) => days(ctx, p.cover_days) },
        { label: ctx.t('stock.col_stockout'), value: (p) => h('span', {}, dateOr(ctx, p.stockout, 'stock.no_stockout'),
          firstOut(ctx, p) ? h('span', { class: 'hint' }, h('br'), firstOut(ctx, p)) : null) },
        { label: ctx.t('stock.col_order'), value: (p) => (p.order_qty > 0
          ? ctx.t('stock.order_by', { qty: ctx.fmt.number(p.order_qty), date: ctx.fmt.date(p.order_by) })
          : ctx.t('stock.no_order')) },
      ],
      rows,
      rowClass: (p) => (p.late ? 'row-bad' : null),
    });
}

// ---- one SKU

async function skuPage(el, ctx, sku, when) {
  const q = { as_of: when || undefined, sku };
  const [planRes, stockRes, names, acts, alerts] = await Promise.all([
    ctx.api.get('/plans', q), ctx.api.all('/stock', { sku }, 'stock'), skus(ctx),
    ctx.api.all('/actions', { sku, locale: ctx.lang }, 'actions', 500), ctx.api.all('/alerts', q, 'alerts', 50)]);
  const k = names.get(sku);
  const p = (planRes.plan || [])[0];
  el.append(h('p', { class: 'crumbs' }, h('a', { href: '#/stock' }, ctx.t('stock.all_skus'))));
  el.append(pageHead(ctx, k ? k.name : ctx.t('stock.unknown_sku'),
    [k && k.category, asOfLine(ctx, when)].filter(Boolean).join(' · ')));
  if (k) {
    el.append(h('p', {}, chip(ctx.t('stock.listing.' + k.listing), k.listing === 'active' ? 'ok' : 'warn'), ' ',
      chip(ctx.t(k.promoted ? 'stock.promoted_on' : 'stock.promoted_off'), 'muted')));
  }
  if (p) {
    const supplier = p.supplier_name || ctx.t('stock.no_supplier');
    el.append(card(ctx.t('stock.plan_title'), h('dl', { class: 'facts' },
      h('dt', {}, ctx.t('stock.col_available')), h('dd', {}, ctx.fmt.number(p.available)),
      h('dt', {}, ctx.t('stock.inbound')), h('dd', {}, ctx.fmt.number(p.inbound)),
      h('dt', {}, ctx.t('stock.col_daily')), h('dd', {}, ctx.fmt.number(p.daily, { maximumFractionDigits: 2 })),
      h('dt', {}, ctx.t('stock.col_cover')), h('dd', {}, days(ctx, p.cover_days)),
      h('dt', {}, ctx.t('stock.col_stockout')), h('dd', {}, dateOr(ctx, p.stockout, 'stock.no_stockout')),
      h('dt', {}, ctx.t('stock.reorder_point')), h('dd', {}, ctx.fmt.number(p.reorder_point)),
      h('dt', {}, ctx.t('stock.col_order')), h('dd', {}, p.order_qty > 0
        ? ctx.t('stock.order_by', { qty: ctx.fmt.number(p.order_qty), date: ctx.fmt.date(p.order_by) })
        : ctx.t('stock.no_order_until', { date: dateOr(ctx, p.order_by, 'stock.never') })),
      h('dt', {}, ctx.t('stock.supplier')), h('dd', {}, p.backup ? ctx.t('stock.backup_supplier', { name: supplier }) : supplier),
      h('dt', {}, ctx.t('stock.lead')), h('dd', {}, days(ctx, p.lead_days))),
      alerts.length ? [h('h3', {}, ctx.t('stock.alerts_title')), h('ul', { class: 'plain', id: 'sku-alerts' },
        alerts.map((a) => h('li', {}, chip(ctx.t('stock.alert.' + a.kind), a.kind === 'stockout' ? 'bad' : 'warn'), ' ',
          alertText(ctx, a))))] : null));
  } else {
    el.append(empty(ctx.t('stock.no_plan_sku')));
  }
  await whChart(el, ctx, sku, when, p, stockRes);
  el.append(h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('stock.sku_actions')),
    acts.length ? actionsTable(ctx, acts.slice().reverse(), ctx.t('stock.sku_actions_caption'), false) : empty(ctx.t('stock.no_sku_actions'))));
}

async function whChart(el, ctx, sku, when, p, stockRows) {
  const byWh = new Map(stockRows.map((s) => [s.warehouse, s]));
  const names = await regions(ctx, stockRows.map((s) => s.region));
  const lines = p ? p.warehouses : [];
  el.append(h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('stock.wh_title')),
    lines.length ? table({
      columns: [
        { label: ctx.t('stock.col_wh'), value: (w) => (byWh.get(w.warehouse) || {}).warehouse_name || ctx.t('stock.unknown_wh') },
        { label: ctx.t('stock.col_region'), value: (w) => regionName(ctx, names, (byWh.get(w.warehouse) || {}).region) },
        { label: ctx.t('stock.col_available'), num: true, value: (w) => ctx.fmt.number(w.available) },
        { label: ctx.t('stock.inbound'), num: true, value: (w) => ctx.fmt.number(w.inbound) },
        { label: ctx.t('stock.col_cover'), num: true, value: (w) => days(ctx, w.cover_days) },
        { label: ctx.t('stock.col_stockout'), value: (w) => dateOr(ctx, w.stockout, 'stock.no_stockout') },
      ],
      rows: lines,
    }) : empty(ctx.t('stock.no_wh'))));
  const box = h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('stock.forecast_title')));
  el.append(box);
  try {
    const [hist, fc] = await Promise.all([
      ctx.api.get('/sales', { sku, as_of: when || undefined, days: 90 }),
      ctx.api.get('/forecasts', { sku, as_of: when || undefined, horizon_days: 28 }),
    ]);
    const f = (fc.forecast || [])[0];
    const past = hist.days || [];
    const ahead = f ? f.days : [];
    const x = past.map((d) => d.date).concat(ahead.map((d) => d.date));
    const pad = (n) => new Array(n).fill(null);
    const model = f ? (ctx.has('stock.model.' + f.model) ? ctx.t('stock.model.' + f.model) : f.model) : null;
    box.append(h('p', { class: 'hint' }, ctx.t('stock.forecast_hint', {
      sold: ctx.fmt.number(hist.total), days: ctx.t('common.days', { n: ctx.fmt.number(past.length) }), out: ctx.fmt.number(hist.days_out_of_stock) }),
    model ? ' ' + ctx.t('stock.forecast_model', { model }) : ''));
    chart(box, ctx, {
      caption: ctx.t('stock.forecast_caption'),
      x, xFormat: (v) => ctx.fmt.date(v),
      y: { format: (v) => ctx.fmt.number(v, { maximumFractionDigits: 1 }), min: 0 },
      series: [
        { name: ctx.t('stock.series_sold'), type: 'bar', color: 'muted',
          values: past.map((d) => d.units).concat(pad(ahead.length)) },
        { name: ctx.t('stock.series_band'), color: 'band',
          band: { lower: pad(past.length).concat(ahead.map((d) => d.p50)), upper: pad(past.length).concat(ahead.map((d) => d.p90)) } },
        { name: ctx.t('stock.series_p50'), color: 'accent',
          values: pad(past.length).concat(ahead.map((d) => d.p50)) },
      ],
      marks: [],
    });
    if (p && p.stockout) box.append(h('p', {}, ctx.t('stock.stockout_line', { date: ctx.fmt.date(p.stockout) })));
  } catch (e) {
    box.append(errorBox(e, ctx.t, ctx.has));
  }
}

export default {
  id: 'stock',
  title: 'stock.title',
  async render(el, ctx) {
    pageStyle('stock');
    const when = await asOf(ctx);
    if (ctx.params[0]) await skuPage(el, ctx, ctx.params[0], when);
    else await overview(el, ctx, when);
  },
};
