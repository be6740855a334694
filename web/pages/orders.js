// orders.js - Orders at risk: the orders held or late (#/orders), each with why, the
// channel routing proposes and the message planned for its buyer; a search by order id,
// and one order (#/orders/ID): its lines, its history, its route and its messages.
// Reads GET /routes (held, late, no channel), /messages (the late-shipment, late-delivery
// and out-of-stock messages name the late orders), /orders/{id}, /skus, /shops.
import { h, clear, card, table, empty, chip, errorBox } from '/ui.js';
import { asOf, asOfLine, shops, skus, regions, regionName, pageHead, pageStyle } from '/dash.js';

const KINDS = ['late_shipment', 'late_delivery', 'out_of_stock', 'unshipped_order'];
const SHOWN = 25;

function searchForm(ctx, value) {
  const input = h('input', { type: 'search', id: 'order-search', name: 'order', required: true,
    value: value || '', autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'field-row orders-search', role: 'search' },
    h('div', { class: 'field' }, h('label', { for: 'order-search' }, ctx.t('orders.search_label')), input),
    h('button', { type: 'submit', class: 'btn btn-primary' }, ctx.t('orders.search')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = input.value.trim();
    if (v) ctx.navigate('#/orders/' + encodeURIComponent(v));
  });
  return form;
}

function routeWhy(ctx, r) {
  if (!r) return null;
  const vars = { promised: r.promised ? ctx.fmt.date(r.promised) : ctx.t('orders.no_promise'),
    latest: r.latest ? ctx.fmt.date(r.latest) : '—', earliest: r.earliest ? ctx.fmt.date(r.earliest) : '—' };
  return ctx.t('orders.route.' + r.state, vars);
}

function channelText(ctx, r) {
  if (!r || !r.carrier) return ctx.t('orders.no_channel_proposed');
  const mode = r.tier ? ctx.t('orders.tier.' + r.tier) : '';
  return ctx.t('orders.channel', { carrier: r.carrier, tier: mode,
    earliest: r.earliest ? ctx.fmt.date(r.earliest) : '—', latest: r.latest ? ctx.fmt.date(r.latest) : '—',
    price: r.price ? ctx.fmt.money(r.price) : '—' });
}

function messageCell(ctx, m) {
  if (!m) return h('span', { class: 'muted' }, ctx.t('orders.no_message'));
  const kind = { planned: 'info', approved: 'ok', held: 'warn', sent: 'ok', failed: 'bad' }[m.state] || 'muted';
  return h('span', {}, chip(ctx.t('orders.msg_state.' + m.state), kind), ' ', h('span', { lang: m.locale || null }, m.subject),
    (m.holds || []).length ? h('span', { class: 'hint' }, h('br'),
      m.holds.map((x) => ctx.t('orders.hold.' + x.reason)).join(' ')) : null,
    ' ', h('a', { class: 'hint', href: '#/messages?' + new URLSearchParams({ state: m.state, kind: m.kind, shop: m.shop }) },
      ctx.t('orders.see_message')));
}

function whyCell(ctx, row) {
  const parts = [];
  if (row.route && row.route.state !== 'routed') parts.push(routeWhy(ctx, row.route));
  if (row.msg) parts.push(ctx.t('orders.why.' + row.msg.kind));
  return parts.join(' ');
}

async function overview(el, ctx, when) {
  const [routes, messages, names] = await Promise.all([
    ctx.api.all('/routes', { as_of: when || undefined }, 'route', 20000),
    ctx.api.all('/messages', {}, 'messages', 20000),
    shops(ctx),
  ]);
  el.append(pageHead(ctx, ctx.t('orders.title'), asOfLine(ctx, when)), searchForm(ctx));
  const byOrder = new Map();
  const row = (order, shop) => {
    const k = shop + '\u0000' + order;
    if (!byOrder.has(k)) byOrder.set(k, { order, shop, route: null, msg: null });
    return byOrder.get(k);
  };
  const routeOf = new Map(routes.map((r) => [r.shop + '\u0000' + r.order, r]));
  for (const r of routes) if (r.state !== 'routed') row(r.order, r.shop).route = r;
  for (const m of messages) {
    if (!KINDS.includes(m.kind) || !m.order || ['rejected', 'withdrawn'].includes(m.state)) continue;
    const x = row(m.order, m.shop);
    if (!x.msg || m.id > x.msg.id) x.msg = m;
    if (!x.route) x.route = routeOf.get(m.shop + '\u0000' + m.order) || null;
  }
  const rows = [...byOrder.values()];
  const weight = (x) => (x.route && x.route.state === 'held' ? 0 : x.route && x.route.state !== 'routed' ? 1 : 2);
  rows.sort((a, b) => weight(a) - weight(b) || a.order.localeCompare(b.order));
  const held = rows.filter((x) => x.route && x.route.state === 'held').length;
  const late = rows.length - held;
  el.append(h('div', { class: 'grid figures' },
    card(null, h('p', { class: 'stat' }, ctx.fmt.number(held)), h('p', { class: 'stat-label' }, ctx.t('orders.stat_held'))),
    card(null, h('p', { class: 'stat' }, ctx.fmt.number(late)), h('p', { class: 'stat-label' }, ctx.t('orders.stat_late'))),
    card(null, h('p', { class: 'stat' }, ctx.fmt.number(routes.length)), h('p', { class: 'stat-label' }, ctx.t('orders.stat_open')))));
  if (!rows.length) {
    el.append(empty(ctx.t('orders.none')));
    return;
  }
  const box = h('div', {});
  const draw = (n) => clear(box,
    h('p', { class: 'hint' }, ctx.t('orders.list_hint', { n: ctx.fmt.number(Math.min(rows.length, n)), total: ctx.fmt.number(rows.length) })),
    listTable(ctx, names, rows.slice(0, n)),
    n < rows.length ? h('button', { type: 'button', class: 'btn btn-link', onclick: () => draw(n + 100) },
      ctx.t('stock.show_more', { n: ctx.fmt.number(rows.length - n) })) : null);
  draw(SHOWN);
  el.append(h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('orders.list_title')), box));
}

function listTable(ctx, names, rows) {
  return table({
      caption: ctx.t('orders.list_caption'),
      columns: [
        { label: ctx.t('orders.col_order'), class: 'nowrap', value: (x) => h('a', { href: '#/orders/' + encodeURIComponent(x.order) + '?shop=' + encodeURIComponent(x.shop) }, x.order) },
        { label: ctx.t('orders.col_shop'), value: (x) => (names.get(x.shop) || {}).name || ctx.t('dash.unknown_shop') },
        { label: ctx.t('orders.col_why'), value: (x) => whyCell(ctx, x) },
        { label: ctx.t('orders.col_channel'), value: (x) => (!x.route && x.msg && x.msg.kind === 'late_delivery'
          ? ctx.t('orders.in_transit') : channelText(ctx, x.route)) },
        { label: ctx.t('orders.col_message'), value: (x) => messageCell(ctx, x.msg) },
      ],
      rows,
    });
}

// ---- one order

const STATUS_KIND = { open: 'info', shipped: 'info', delivered: 'ok', cancelled: 'muted' };

async function orderPage(el, ctx, id, when) {
  el.append(h('p', { class: 'crumbs' }, h('a', { href: '#/orders' }, ctx.t('orders.all'))));
  el.append(pageHead(ctx, ctx.t('orders.order_title', { id }), asOfLine(ctx, when)), searchForm(ctx, id));
  let o;
  try {
    o = await ctx.api.get('/orders/' + encodeURIComponent(id), { shop: ctx.query.get('shop') || undefined });
  } catch (e) {
    if (e.status === 404) {
      el.append(h('div', { class: 'notice notice-info', role: 'status' }, ctx.t('orders.not_found', { id })));
      return;
    }
    if (e.status === 409) {
      el.append(h('div', { class: 'notice notice-info', role: 'status' }, ctx.t('orders.ambiguous', { id })));
      return;
    }
    throw e;
  }
  const [names, catalogue, places] = await Promise.all([shops(ctx), skus(ctx), regions(ctx, [o.ship_to, o.ship_from])]);
  const when2 = (v) => (v ? ctx.fmt.datetime(v) : ctx.t('orders.not_yet'));
  el.append(card(ctx.t('orders.facts'), h('dl', { class: 'facts' },
    h('dt', {}, ctx.t('orders.col_shop')), h('dd', {}, (names.get(o.shop) || {}).name || ctx.t('dash.unknown_shop')),
    h('dt', {}, ctx.t('orders.status')), h('dd', {}, chip(ctx.t('orders.status_' + o.status), STATUS_KIND[o.status] || 'muted')),
    h('dt', {}, ctx.t('orders.amount')), h('dd', {}, ctx.fmt.money(o.amount)),
    h('dt', {}, ctx.t('orders.placed')), h('dd', {}, when2(o.placed_at)),
    h('dt', {}, ctx.t('orders.ship_by')), h('dd', {}, when2(o.ship_by)),
    h('dt', {}, ctx.t('orders.shipped')), h('dd', {}, when2(o.shipped_at)),
    h('dt', {}, ctx.t('orders.promised')), h('dd', {}, when2(o.promised_at)),
    h('dt', {}, ctx.t('orders.delivered')), h('dd', {}, when2(o.delivered_at)),
    o.cancelled_at ? [h('dt', {}, ctx.t('orders.cancelled')), h('dd', {}, when2(o.cancelled_at))] : null,
    h('dt', {}, ctx.t('orders.from')), h('dd', {}, regionName(ctx, places, o.ship_from)),
    h('dt', {}, ctx.t('orders.to')), h('dd', {}, regionName(ctx, places, o.ship_to)))));
  el.append(card(ctx.t('orders.lines'), table({
    columns: [
      { label: ctx.t('orders.col_item'), value: (l) => h('a', { href: '#/stock/' + encodeURIComponent(l.sku) },
        (catalogue.get(l.sku) || {}).name || ctx.t('stock.unknown_sku')) },
      { label: ctx.t('orders.col_qty'), num: true, value: (l) => ctx.fmt.number(l.qty) },
      { label: ctx.t('orders.col_price'), num: true, value: (l) => ctx.fmt.money(l.unit_price) },
    ],
    rows: o.lines || [],
  })));
  if ((o.history || []).length) {
    el.append(card(ctx.t('orders.history'), table({
      columns: [
        { label: ctx.t('orders.col_when'), value: (x) => ctx.fmt.datetime(x.at || x.changed_at) },
        { label: ctx.t('orders.col_change'), value: (x) => ctx.t('orders.change', {
          field: ctx.has('orders.field.' + x.field) ? ctx.t('orders.field.' + x.field) : x.field,
          from: x.from === null || x.from === undefined ? '—' : (/^\d{4}-\d\d-\d\dT/.test(x.from) ? ctx.fmt.datetime(x.from) : x.from),
          to: x.to === null || x.to === undefined ? '—' : (/^\d{4}-\d\d-\d\dT/.test(x.to) ? ctx.fmt.datetime(x.to) : x.to) }) },
      ],
      rows: o.history,
    })));
  }
  const box = h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('orders.route_and_messages')));
  el.append(box);
  try {
    const [routes, msgs] = await Promise.all([
      ctx.api.all('/routes', { as_of: when || undefined, shop: o.shop }, 'route', 20000),
      ctx.api.all('/messages', { shop: o.shop }, 'messages', 20000)]);
    const r = routes.find((x) => x.order === o.id);
    box.append(h('p', {}, r ? [routeWhy(ctx, r), ' ', channelText(ctx, r)] : ctx.t('orders.not_routed')));
    const mine = msgs.filter((m) => m.order === o.id);
    box.append(mine.length ? table({
      columns: [
        { label: ctx.t('orders.col_message'), value: (m) => messageCell(ctx, m) },
        { label: ctx.t('orders.col_when'), value: (m) => ctx.fmt.datetime(m.created_at) },
      ],
      rows: mine,
    }) : empty(ctx.t('orders.no_messages')));
  } catch (e) {
    box.append(errorBox(e, ctx.t, ctx.has));
  }
}

export default {
  id: 'orders',
  title: 'orders.title',
  async render(el, ctx) {
    pageStyle('orders');
    const when = await asOf(ctx);
    if (ctx.params[0]) await orderPage(el, ctx, ctx.params[0], when);
    else await overview(el, ctx, when);
  },
};
