// market.js - the Marketplace view, for a platform operator: the merchants it governs by
// rating and exemption, the coupons their shops paid and still owe buyers, and the
// disruptions declared for the platform. A merchant's own pages are read with the header
// Ballast-Org (api.actAs), as the API lets a platform look into one merchant.
// Reads GET /merchants, /merchants/coupons (every merchant's sums at once), /disruptions.
import { h, card, table, empty, chip, errorBox } from '/ui.js';
import { asOf, asOfLine, regions, regionName, ratingChip, pageHead, pageStyle } from '/dash.js';

const RATED = ['excellent', '5', 'good', '4', 'healthy', 'fair', '3', 'watch', 'act', '2', 'at_risk', 'poor', '1'];

// Paid and owed coupons of every merchant, summed per currency by the server
// (GET /merchants/coupons: one answer for all of them).
function couponSums(entry) {
  const sums = { paid: new Map(), owed: new Map(), n: { paid: 0, owed: 0 } };
  for (const k of ['paid', 'owed']) {
    for (const x of (entry && entry[k]) || []) {
      sums[k].set(x.amount.currency, Number(x.amount.amount));
      sums.n[k] += x.count;
    }
  }
  return sums;
}

function money(ctx, map) {
  if (!map.size) return ctx.t('market.no_coupons');
  return [...map].map(([cur, v]) => ctx.fmt.money(v.toFixed(2), cur)).join(' · ');
}

function ratingSummary(ctx, m) {
  const counts = new Map();
  let unrated = 0;
  for (const s of m.shops) {
    if (!s.rating) unrated++;
    else counts.set(s.rating, (counts.get(s.rating) || 0) + 1);
  }
  const keys = [...counts.keys()].sort((a, b) => RATED.indexOf(a) - RATED.indexOf(b));
  return h('span', { class: 'market-ratings' },
    keys.map((k) => h('span', {}, ratingChip(ctx, k), ' ', ctx.fmt.number(counts.get(k)), ' ')),
    unrated ? h('span', { class: 'hint' }, ctx.t('market.unrated', { n: ctx.fmt.number(unrated) })) : null);
}

function worstShare(m) {
  const bad = m.shops.filter((s) => s.rating && ['at_risk', 'poor', 'act', '1', '2'].includes(s.rating)).length;
  return m.shops.length ? bad / m.shops.length : 0;
}

export default {
  id: 'market',
  title: 'market.title',
  async render(el, ctx) {
    pageStyle('market');
    const when = await asOf(ctx);
    el.append(pageHead(ctx, ctx.t('market.title'), asOfLine(ctx, when)));
    if (!ctx.me || !ctx.me.org || ctx.me.org.kind !== 'platform') {
      el.append(empty(ctx.t('market.platform_only')));
      return;
    }
    const [res, dis, cp] = await Promise.all([ctx.api.get('/merchants'), ctx.api.get('/disruptions'),
      ctx.api.get('/merchants/coupons').catch((e) => e)]);
    const merchants = (res.merchants || []).slice().sort((a, b) => worstShare(b) - worstShare(a));
    const money3 = new Map();
    const byName = new Map(cp instanceof Error ? [] : cp.merchants.map((x) => [x.name, x]));
    for (const m of merchants) money3.set(m.name, cp instanceof Error ? cp : couponSums(byName.get(m.name)));
    el.append(h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('market.merchants_title')),
      h('p', { class: 'hint' }, ctx.t('market.merchants_hint')),
      merchants.length ? table({
        caption: ctx.t('market.merchants_caption'),
        columns: [
          { label: ctx.t('market.col_merchant'), value: (m) => h('strong', {}, m.name) },
          { label: ctx.t('market.col_shops'), num: true, value: (m) => ctx.fmt.number(m.shops.length) },
          { label: ctx.t('market.col_ratings'), value: (m) => ratingSummary(ctx, m) },
          { label: ctx.t('market.col_exempt'), num: true, value: (m) => ctx.fmt.number(m.shops.reduce((n, s) => n + (s.exempt_orders || 0), 0)) },
          { label: ctx.t('market.col_protections'), num: true, value: (m) => ctx.fmt.number((m.protections || []).length) },
          { label: ctx.t('market.col_paid'), value: (m) => {
            const c = money3.get(m.name);
            return c instanceof Error ? errorBox(c, ctx.t, ctx.has) : h('span', {}, money(ctx, c.paid),
              h('br'), h('span', { class: 'hint' }, ctx.t('market.coupons_n', { n: ctx.fmt.number(c.n.paid) })));
          } },
          { label: ctx.t('market.col_owed'), value: (m) => {
            const c = money3.get(m.name);
            if (c instanceof Error) return '—';
            return h('span', {}, c.n.owed ? chip(money(ctx, c.owed), 'warn') : money(ctx, c.owed),
              h('br'), h('span', { class: 'hint' }, ctx.t('market.coupons_n', { n: ctx.fmt.number(c.n.owed) })));
          } },
        ],
        rows: merchants,
      }) : empty(ctx.t('market.no_merchants'))));
    const list = dis.disruptions || [];
    const names = await regions(ctx, list.map((d) => d.region));
    const now = when ? new Date(when) : new Date();
    el.append(card(ctx.t('market.disruptions_title'),
      h('p', { class: 'hint' }, ctx.t('market.disruptions_hint')),
      list.length ? table({
        caption: ctx.t('market.disruptions_title'),
        columns: [
          { label: ctx.t('market.col_region'), value: (d) => regionName(ctx, names, d.region) },
          { label: ctx.t('market.col_kind'), value: (d) => (ctx.has('market.kind.' + d.kind) ? ctx.t('market.kind.' + d.kind) : d.kind.replace(/_/g, ' ')) },
          { label: ctx.t('market.col_scope'), value: (d) => ctx.t('market.scope.' + d.scope) },
          { label: ctx.t('market.col_from'), value: (d) => ctx.fmt.datetime(d.starts_at) },
          { label: ctx.t('market.col_to'), value: (d) => (d.effective_end ? ctx.fmt.datetime(d.effective_end) : ctx.t('market.until_notice')) },
          { label: ctx.t('market.col_state'), value: (d) => {
            const end = d.effective_end ? new Date(d.effective_end) : null;
            const on = new Date(d.starts_at) <= now && (!end || end > now);
            return on ? chip(ctx.t('market.in_force'), 'bad') : chip(ctx.t(end && end <= now ? 'market.over' : 'market.ahead'), 'muted');
          } },
        ],
        rows: list,
      }) : empty(ctx.t('market.no_disruptions'))));
  },
};
