// health.js - Account health, per shop, the way a marketplace's account health page reads:
// the shops and their ratings (#/health), then one shop (#/health/SHOP): a card per rule
// of its profile (value, target, status), each rule's last 90 days with the exempt orders
// apart (chart and table), the orders behind a rule, the rating and carry-over in words.
// Reads GET /assessments, /assessments/{shop}/trend, /assessments/{shop}/orders, /shops.
import { h, clear, card, table, empty, errorBox } from '/ui.js';
import { chart } from '/charts.js';
import {
  asOf, asOfLine, dayOf, shops, ruleName, ratingChip, statusChip, rate, pageHead, pageStyle,
} from '/dash.js';

function profileName(ctx, p) {
  const key = 'dash.profile.' + p;
  return ctx.has(key) ? ctx.t(key) : p;
}

function targetText(ctx, r) {
  if (r.target === null || r.target === undefined) return ctx.t('health.no_target');
  return ctx.t(r.lower_is_better ? 'health.target_below' : 'health.target_at_least',
    { target: ctx.fmt.percent(r.target, 2) });
}

// The rating and the carry-over, in sentences.
function explain(ctx, s, shop) {
  const out = [];
  const rules = s.rules || [];
  const failing = rules.filter((r) => r.status === 'breach').length;
  const risky = rules.filter((r) => r.status === 'at_risk').length;
  if (s.rating && !s.carried) {
    out.push(ctx.t('health.explain_rated', {
      rating: ratingChip(ctx, s.rating).textContent,
      score: ctx.fmt.number(s.score, { maximumFractionDigits: 0 }),
      days: ctx.t('common.days', { n: ctx.fmt.number(s.window_days) }), platform: profileName(ctx, s.profile),
    }));
  } else if (s.rating && s.carried) {
    out.push(ctx.t('health.explain_carried', {
      rating: ratingChip(ctx, s.rating).textContent, from: ctx.fmt.date(dayOf(s.carried_from)),
      days: s.window_days,
    }));
  } else {
    out.push(ctx.t('health.explain_unrated', { days: ctx.t('common.days', { n: ctx.fmt.number(s.window_days) }), name: shop }));
  }
  if (failing) out.push(ctx.t('health.explain_failing', { n: failing }));
  else if (risky) out.push(ctx.t('health.explain_risky', { n: risky }));
  else if (rules.some((r) => r.status === 'ok')) out.push(ctx.t('health.explain_all_ok'));
  out.push(ctx.t('health.explain_exempt'));
  return out;
}

// ---- the list of shops

async function overview(el, ctx, when) {
  const [res, names] = await Promise.all([
    ctx.api.get('/assessments', { as_of: when || undefined }), shops(ctx)]);
  el.append(pageHead(ctx, ctx.t('health.title'), asOfLine(ctx, when)));
  const rated = res.shops || [];
  if (!rated.length) {
    el.append(empty(ctx.t('health.no_shops')));
    return;
  }
  const order = { breach: 0, at_risk: 1, ok: 2, no_data: 3 };
  const worst = (s) => Math.min(...(s.rules || []).map((r) => order[r.status] ?? 3), 3);
  rated.sort((a, b) => worst(a) - worst(b) || (a.score ?? 101) - (b.score ?? 101));
  el.append(h('p', { class: 'lede' }, ctx.t('health.lede')));
  el.append(h('div', { class: 'grid health-shops' }, rated.map((s) => {
    const shop = names.get(s.shop);
    const bad = (s.rules || []).filter((r) => r.status === 'breach').length;
    const risky = (s.rules || []).filter((r) => r.status === 'at_risk').length;
    return h('a', { class: 'card health-shop', href: '#/health/' + encodeURIComponent(s.shop) },
      h('h2', { class: 'card-title' }, shop ? shop.name : ctx.t('dash.unknown_shop')),
      h('p', { class: 'muted' }, profileName(ctx, s.profile)),
      h('p', {}, ratingChip(ctx, s.rating), ' ',
        s.score === null || !s.rating ? '' : ctx.t('health.score', { score: ctx.fmt.number(s.score, { maximumFractionDigits: 0 }) })),
      h('p', { class: 'hint' }, bad ? ctx.t('health.rules_breached', { n: bad })
        : risky ? ctx.t('health.rules_at_risk', { n: risky })
          : !s.rating ? ctx.t('health.too_few') : ctx.t('health.rules_fine')));
  })));
}

// ---- one shop

function ruleCard(ctx, r, selected, pick) {
  return h('button', {
    type: 'button', class: 'card health-rule' + (selected ? ' selected' : ''),
    'aria-pressed': selected ? 'true' : 'false', onclick: pick,
  },
  h('span', { class: 'health-rule-name' }, ruleName(ctx, r.metric, r.window_days)),
  h('span', { class: 'stat' }, rate(ctx, r.value)),
  h('span', { class: 'health-rule-target' }, targetText(ctx, r)),
  h('span', {}, statusChip(ctx, r.status)),
  h('span', { class: 'hint' }, ctx.t('health.counted_exempt', {
    n: ctx.fmt.number(r.counted), exempt: ctx.fmt.number(r.exempt) })));
}

function trendChart(el, ctx, trend, q) {
  const rule = trend.rules[q];
  const days = trend.days;
  const name = ruleName(ctx, rule.metric, rule.window_days);
  chart(el, ctx, {
    caption: ctx.t('health.trend_caption', { rule: name, days: ctx.t('common.days', { n: ctx.fmt.number(days.length) }) }),
    summary: ctx.t('health.trend_summary'),
    x: days.map((d) => d.date),
    xFormat: (v) => ctx.fmt.date(v),
    y: { format: (v) => ctx.fmt.percent(v, 1), min: 0,
      max: (e) => Math.min(1, Math.max(e.max * 1.15, (rule.target || 0) * 1.3, 0.01)) },
    y2: { format: (v) => ctx.fmt.number(v), min: 0 },
    series: [
      { name: ctx.t('health.series_value'), values: days.map((d) => d.rules[q].value), color: 'accent' },
      { name: ctx.t('health.series_counted'), values: days.map((d) => d.rules[q].counted), type: 'bar', axis: 1, color: 'muted' },
      { name: ctx.t('health.series_exempt'), values: days.map((d) => d.rules[q].exempt), type: 'bar', axis: 1, color: 'warn' },
    ],
    marks: rule.target === null ? [] : [{ value: rule.target, label: targetText(ctx, rule) }],
  });
}

function whyText(ctx, why) {
  const key = 'health.why.' + why;
  return ctx.has(key) ? ctx.t(key) : ctx.t('health.why.other');
}

function ordersTables(ctx, ro) {
  const link = (o) => h('a', { href: '#/orders/' + encodeURIComponent(o.order) }, o.order);
  const out = [];
  out.push(h('h3', {}, ctx.t('health.against', { n: ctx.fmt.number(ro.against_total) })));
  out.push(ro.against.length ? table({
    caption: ctx.t('health.against_caption'),
    columns: [
      { label: ctx.t('health.col_order'), value: link },
      { label: ctx.t('health.col_why'), value: (o) => whyText(ctx, o.why) },
      { label: ctx.t('health.col_promised'), value: (o) => ctx.fmt.datetime(o.promised) },
      { label: ctx.t('health.col_happened'), value: (o) => (o.happened ? ctx.fmt.datetime(o.happened) : ctx.t('health.not_yet')) },
    ],
    rows: ro.against,
  }) : empty(ctx.t('health.none_against')));
  out.push(h('h3', {}, ctx.t('health.exempt', { n: ctx.fmt.number(ro.exempt_total) })));
  out.push(ro.exempt.length ? table({
    caption: ctx.t('health.exempt_caption'),
    columns: [
      { label: ctx.t('health.col_order'), value: link },
      { label: ctx.t('health.col_why'), value: (o) => whyText(ctx, o.why) },
      { label: ctx.t('health.col_promised'), value: (o) => ctx.fmt.datetime(o.promised) },
    ],
    rows: ro.exempt,
  }) : empty(ctx.t('health.none_exempt')));
  if (ro.against_total > ro.against.length || ro.exempt_total > ro.exempt.length) {
    out.push(h('p', { class: 'hint' }, ctx.t('health.first_only', { n: ctx.fmt.number(LIMIT) })));
  }
  return out;
}

const LIMIT = 25;

async function showRule(box, ctx, shopId, when, trend, q) {
  const rule = trend.rules[q];
  clear(box, h('p', { class: 'loading', role: 'status' }, ctx.t('common.loading')));
  const content = [];
  const chartBox = h('div', {});
  content.push(chartBox);
  try {
    const res = await ctx.api.get('/assessments/' + encodeURIComponent(shopId) + '/orders',
      { as_of: when || undefined, rule: rule.metric, limit: LIMIT });
    const ro = (res.rules || []).find((r) => r.metric === rule.metric && r.window_days === rule.window_days)
      || (res.rules || []).find((r) => r.metric === rule.metric);
    content.push(h('h2', {}, ctx.t('health.orders_title', { rule: ruleName(ctx, rule.metric, rule.window_days) })));
    content.push(ro ? ordersTables(ctx, ro) : empty(ctx.t('health.none_against')));
  } catch (e) {
    content.push(errorBox(e, ctx.t, ctx.has));
  }
  clear(box, content);
  trendChart(chartBox, ctx, trend, q);
}

async function shopPage(el, ctx, shopId, when) {
  const [res, names] = await Promise.all([
    ctx.api.get('/assessments', { shop: shopId, as_of: when || undefined }), shops(ctx)]);
  const s = (res.shops || [])[0];
  const shop = names.get(shopId);
  const title = shop ? shop.name : ctx.t('dash.unknown_shop');
  el.append(h('p', { class: 'crumbs' }, h('a', { href: '#/health' }, ctx.t('health.all_shops'))));
  el.append(pageHead(ctx, title, [profileName(ctx, s ? s.profile : ''), asOfLine(ctx, when)]
    .filter(Boolean).join(' · ')));
  if (!s) {
    el.append(empty(ctx.t('health.not_rated_profile')));
    return;
  }
  el.append(card(ctx.t('health.rating_title'),
    h('p', {}, ratingChip(ctx, s.rating), ' ',
      s.score === null || !s.rating ? '' : h('span', { class: 'stat' }, ctx.fmt.number(s.score, { maximumFractionDigits: 0 })),
      s.score === null || !s.rating ? '' : h('span', { class: 'muted' }, ' / 100')),
    explain(ctx, s, title).map((p) => h('p', {}, p))));
  const trend = await ctx.api.get('/assessments/' + encodeURIComponent(shopId) + '/trend',
    { as_of: when || undefined, days: 90 });
  const rules = s.rules || [];
  if (!rules.length) {
    el.append(empty(ctx.t('health.rules_unknown')));
    return;
  }
  const order = { breach: 0, at_risk: 1, ok: 2, no_data: 3 };
  let q = rules.reduce((best, r, i) => ((order[r.status] ?? 3) < (order[rules[best].status] ?? 3) ? i : best), 0);
  const want = ctx.query.get('rule');
  if (want && rules.some((r) => r.metric === want)) q = rules.findIndex((r) => r.metric === want);
  const cards = h('div', { class: 'grid health-rules', role: 'group', 'aria-label': ctx.t('health.rules_title') });
  const detail = h('div', { class: 'health-detail' });
  const draw = () => {
    clear(cards, rules.map((r, i) => ruleCard(ctx, r, i === q, () => { q = i; draw(); })));
    showRule(detail, ctx, shopId, when, trend, Math.min(q, trend.rules.length - 1));
  };
  el.append(h('h2', {}, ctx.t('health.rules_title')),
    h('p', { class: 'hint' }, ctx.t('health.rules_hint')), cards, detail);
  draw();
}

export default {
  id: 'health',
  title: 'health.title',
  async render(el, ctx) {
    pageStyle('health');
    const when = await asOf(ctx);
    if (ctx.params[0]) await shopPage(el, ctx, ctx.params[0], when);
    else await overview(el, ctx, when);
  },
};
