// words.js - what the server says in codes and numbers, worded in the reader's language
// (docs/web.md, "Strings"): who did something (an actor the API gives in parts), and a
// stock alert from its kind and numbers; why the playbook acted comes worded from the
// server (reason_text). Never the English sentences some answers also carry for API
// clients (`reason`, `decided_by`, a history's `by`).
//
//   actorText(ctx, a.decided_by_actor)   -> "alice", "API 令牌“ops desk”"
//   actionReason(ctx, action)            -> "2024年12月4日的缺货无法避免（可用 3，日销 1.5，…）"

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

// A playbook action's reason: the server words it in the reader's language (reason_text of
// GET /api/v1/actions and /today asked with ?locale=; src/app/action_words.c, from the
// operator packs), so the command line, the API and this page say it alike.
export function actionReason(ctx, a) {
  return a.reason_text || ctx.t('stock.reason_unknown');
}

// A stock alert's reason, from its kind, `why` and `data` (GET /api/v1/alerts).
export function alertText(ctx, a) {
  const d = a.data || {};
  const n = (v, digits = 0) => ctx.fmt.number(v, { maximumFractionDigits: digits });
  // a count of days or units in words: "1 day", "3.5 days" ("3.5 天")
  const days = (v, digits = 0) => ctx.t('common.days', { n: n(v, digits) });
  const units = (v) => ctx.t('common.units', { n: n(v) });
  const vars = {
    available: n(d.available), inbound: n(d.inbound), daily: n(d.daily, 2), cover: days(d.cover_days, 1),
    low: days(d.low_days, 1), stocking: days(d.stocking_days), qty: n(d.order_qty), position: n(d.position),
    reorder: n(d.reorder_point), stockout: dateOr(ctx, d.stockout, 'stock.never'),
    order_by: dateOr(ctx, d.order_by, 'stock.never'), arrival: dateOr(ctx, d.arrival, 'stock.never'),
    supplier: d.supplier_name || d.supplier || ctx.t('stock.no_supplier'),
    po: d.po || '', po_supplier: d.po_supplier || ctx.t('stock.no_supplier'), due: dateOr(ctx, d.due, 'stock.never'),
    late: days(d.days_late), units: units(d.po_units), until: dateOr(ctx, d.counted_until, 'stock.never'), grace: days(d.overdue_days),
  };
  const key = 'words.alert.' + a.kind + (a.why && a.why !== 'plain' ? '.' + a.why : '');
  if (ctx.has(key)) return ctx.t(key, vars);
  return ctx.has('words.alert.' + a.kind) ? ctx.t('words.alert.' + a.kind, vars) : ctx.t('words.alert.other');
}
