// words.js - what the server says in codes and numbers, worded in the reader's language
// (docs/web.md, "Strings"): who did something (an actor the API gives in parts), and why
// the playbook acted (its kind and the numbers it kept). Never the English sentences
// some answers also carry for API clients (`reason`, `decided_by`, a history's `by`).
//
//   actorText(ctx, a.decided_by_actor)   -> "alice", "API 令牌“ops desk”"
//   actionReason(ctx, action)            -> "SKU-1 的缺货无法避免（可用 3，日销 1.5，补货 12月4日）"

// {kind: "person"|"token", name, token_id, marketplace} from the API, or null.
export function actorText(ctx, actor) {
  if (!actor) return ctx.t('words.someone');
  let who;
  if (actor.kind === 'token') {
    who = actor.name ? ctx.t('words.actor_token', { name: actor.name })
      : ctx.t('words.actor_token_id', { id: actor.token_id });
  } else {
    who = actor.name || ctx.t('words.someone');
  }
  return actor.marketplace ? ctx.t('words.actor_for', { who, market: actor.marketplace }) : who;
}

function dateOr(ctx, d, none) {
  return d ? ctx.fmt.date(d) : ctx.t(none);
}

// An action proposed from a what-if's plan (purchase_order, transfer, handling_until, reroute,
// promotion_until):
// the plan and step it comes from, what it does, what it costs and saves, by names.
const WHATIF_KINDS = new Set(['purchase_order', 'transfer', 'handling_until', 'reroute',
  'promotion_until']);
function whatifReason(ctx, a) {
  const d = a.data;
  const money = (v) => (v == null ? '' : ctx.fmt.money(v, d.currency));
  // a reroute kept for a rating: it saves no coupon, it keeps the late shipment rate
  const key = a.kind === 'reroute' && d.rate_kept ? 'stock.why.reroute_rating' : 'stock.why.' + a.kind;
  return ctx.t(key, {
    source: d.source, plan: ctx.fmt.number(d.plan), step: ctx.fmt.number(d.step),
    units: ctx.fmt.number(d.units), sku: d.sku_name || d.sku, supplier: d.supplier,
    from: (ctx.lang === 'zh-CN' && d.from_zh) || d.from, to: (ctx.lang === 'zh-CN' && d.to_zh) || d.to,
    warehouse: d.warehouse, shop: d.shop,
    by: dateOr(ctx, d.by, 'stock.never'), arrival: dateOr(ctx, d.arrival, 'stock.never'),
    until: dateOr(ctx, d.until, 'stock.never'),
    before: ctx.fmt.number(d.before), after: ctx.fmt.number(d.after),
    place: (ctx.lang === 'zh-CN' ? d.place_zh : d.place_en) || d.place_en || '',
    cost: money(d.cost), saving: money(d.saving), spend: money(d.spend_a_day),
    days: ctx.fmt.number(d.rate_days), kept: d.rate_kept, target: d.rate_target, left: d.rate_left,
  });
}

// A playbook action's reason, from its kind and `data` (the numbers behind it).
export function actionReason(ctx, a) {
  const d = a.data;
  const k = 'stock.why.' + a.kind;
  if (!d || !ctx.has(k)) return ctx.t('stock.reason_unknown');
  if (WHATIF_KINDS.has(a.kind)) return whatifReason(ctx, a);
  return ctx.t(k, {
    available: ctx.fmt.number(d.available), inbound: ctx.fmt.number(d.inbound),
    daily: ctx.fmt.number(d.daily, { maximumFractionDigits: 2 }),
    stockout: dateOr(ctx, d.stockout, 'stock.never'), restock: dateOr(ctx, d.restock, 'stock.no_restock'),
    until: dateOr(ctx, d.until, 'stock.until_notice'),
  });
}

// A stock alert's reason, from its kind, `why` and `data` (GET /api/v1/alerts).
export function alertText(ctx, a) {
  const d = a.data || {};
  const n = (v, digits = 0) => ctx.fmt.number(v, { maximumFractionDigits: digits });
  const vars = {
    available: n(d.available), inbound: n(d.inbound), daily: n(d.daily, 2), cover: n(d.cover_days, 1),
    low: n(d.low_days, 1), stocking: n(d.stocking_days), qty: n(d.order_qty), position: n(d.position),
    reorder: n(d.reorder_point), stockout: dateOr(ctx, d.stockout, 'stock.never'),
    order_by: dateOr(ctx, d.order_by, 'stock.never'), arrival: dateOr(ctx, d.arrival, 'stock.never'),
    supplier: d.supplier_name || d.supplier || ctx.t('stock.no_supplier'),
    po: d.po || '', po_supplier: d.po_supplier || ctx.t('stock.no_supplier'), due: dateOr(ctx, d.due, 'stock.never'),
    late: n(d.days_late), units: n(d.po_units), until: dateOr(ctx, d.counted_until, 'stock.never'), grace: n(d.overdue_days),
  };
  const key = 'words.alert.' + a.kind + (a.why && a.why !== 'plain' ? '.' + a.why : '');
  if (ctx.has(key)) return ctx.t(key, vars);
  return ctx.has('words.alert.' + a.kind) ? ctx.t('words.alert.' + a.kind, vars) : ctx.t('words.alert.other');
}
