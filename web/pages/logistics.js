// logistics.js - Logistics: the channels and whether they run now (a disruption in force
// that names a channel suspends it), a quote form (every channel serving a parcel: price,
// window, whether it arrives by a date), and the catalogue's delivery windows against the
// real deliveries, per destination (chart and table).
// Reads GET /channels, /disruptions?active_at=, /quotes, /windows, /regions.
import { h, clear, card, table, empty, chip, errorBox } from '/ui.js';
import { chart } from '/charts.js';
import { asOf, asOfLine, dayOf, regions, regionName, regionPicker, pageHead, pageStyle } from '/dash.js';

function modeText(ctx, m) {
  const k = 'logistics.mode.' + m;
  return ctx.has(k) ? ctx.t(k) : m;
}

// One row per carrier service (carrier, mode, role): the countries it ships to, its
// transit range, and the lanes suspended now.
function groups(channels, suspended) {
  const by = new Map();
  for (const c of channels) {
    const k = [c.carrier, c.mode, c.tier].join('\u0000');
    if (!by.has(k)) by.set(k, { carrier: c.carrier, mode: c.mode, tier: c.tier, to: [], min: Infinity, max: 0, cutoff: c.cutoff, off: [] });
    const g = by.get(k);
    for (const x of c.to || []) if (!g.to.includes(x)) g.to.push(x);
    g.min = Math.min(g.min, c.transit_days.min);
    g.max = Math.max(g.max, c.transit_days.max);
    const d = suspended.get(c.channel);
    if (d) g.off.push({ to: c.to || [], until: d.ends_at });
  }
  return [...by.values()].sort((a, b) => b.off.length - a.off.length || a.carrier.localeCompare(b.carrier));
}

function channelsCard(ctx, channels, suspended, names) {
  const rows = groups(channels, suspended);
  const places = (list) => list.map((x) => regionName(ctx, names, x)).join(', ') || '—';
  return h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('logistics.channels_title')),
    h('p', { class: 'hint' }, ctx.t('logistics.channels_hint')),
    rows.length ? table({
      caption: ctx.t('logistics.channels_caption'),
      columns: [
        { label: ctx.t('logistics.col_carrier'), value: (g) => g.carrier },
        { label: ctx.t('logistics.col_mode'), value: (g) => modeText(ctx, g.mode) + ' · ' + ctx.t('orders.tier.' + g.tier) },
        { label: ctx.t('logistics.col_serves'), value: (g) => places(g.to) },
        { label: ctx.t('logistics.col_transit'), value: (g) => ctx.t('logistics.transit', { min: g.min, n: g.max }) },
        { label: ctx.t('logistics.col_cutoff'), value: (g) => (g.cutoff ? ctx.t('logistics.cutoff', { time: g.cutoff }) : '—') },
        { label: ctx.t('logistics.col_state'), value: (g) => (g.off.length
          ? h('span', {}, g.off.map((o) => h('span', { class: 'channel-off' }, chip(ctx.t('logistics.suspended'), 'bad'), ' ',
            ctx.t(o.until ? 'logistics.suspended_to_until' : 'logistics.suspended_to_open',
              { to: places(o.to), date: o.until ? ctx.fmt.date(o.until) : '' }))))
          : chip(ctx.t('logistics.running'), 'ok')) },
      ],
      rows,
    }) : empty(ctx.t('logistics.no_channels')));
}

function addDays(day, n) {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// A lane the channels serve, to start the form with: China to the United States when they
// go there, else to the country most of them serve (from it, when they all stay inside).
function defaultLane(channels) {
  const count = new Map();
  for (const c of channels) for (const x of c.to || []) count.set(x, (count.get(x) || 0) + 1);
  if (!count.size || count.has('US')) return ['CN-GD', 'US-CA'];
  const top = [...count].sort((a, b) => b[1] - a[1])[0][0];
  return [count.size === 1 ? top : 'CN-GD', top];
}

async function quoteCard(ctx, when, channels) {
  const day = dayOf(when);
  const [a, b] = defaultLane(channels);
  const from = await regionPicker(ctx, { id: 'q-from', label: ctx.t('logistics.from'), value: a });
  const to = await regionPicker(ctx, { id: 'q-to', label: ctx.t('logistics.to'), value: b });
  const weight = h('input', { id: 'q-weight', type: 'number', min: '0.001', step: '0.001', value: '1.2', required: true, inputmode: 'decimal' });
  const shipAt = h('input', { id: 'q-ship', type: 'date', value: day, required: true });
  const by = h('input', { id: 'q-by', type: 'date', value: addDays(day, 14) });
  const out = h('div', { class: 'quote-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'quote-form' },
    h('div', { class: 'field-row' }, from.el, to.el),
    h('div', { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'q-weight' }, ctx.t('logistics.weight')), weight),
      h('div', { class: 'field' }, h('label', { for: 'q-ship' }, ctx.t('logistics.ship_at')), shipAt),
      h('div', { class: 'field' }, h('label', { for: 'q-by' }, ctx.t('logistics.by')), by)),
    h('button', { type: 'submit', class: 'btn btn-primary' }, ctx.t('logistics.get_quote')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const grams = Math.round(Number(weight.value) * 1000);
    if (!(grams > 0)) {
      clear(out, h('div', { class: 'notice notice-error', role: 'alert' }, ctx.t('logistics.bad_weight')));
      return;
    }
    clear(out, h('p', { class: 'loading', role: 'status' }, ctx.t('common.loading')));
    try {
      const q = await ctx.api.get('/quotes', { from: from.value, to: to.value, weight_g: grams,
        ship_at: shipAt.value + 'T00:00:00Z', by: by.value || undefined });
      clear(out, quoteTable(ctx, q, by.value));
    } catch (e) {
      clear(out, errorBox(e, ctx.t, ctx.has));
    }
  });
  return h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('logistics.quote_title')),
    h('p', { class: 'hint' }, ctx.t('logistics.quote_hint')), form, out);
}

function quoteTable(ctx, q, by) {
  const rows = q.quote || [];
  if (!rows.length) return empty(ctx.t('logistics.no_quote'));
  return table({
    caption: ctx.t('logistics.quote_caption'),
    columns: [
      { label: ctx.t('logistics.col_carrier'), value: (r) => r.carrier },
      { label: ctx.t('logistics.col_mode'), value: (r) => modeText(ctx, r.mode) },
      { label: ctx.t('logistics.col_price'), num: true, value: (r) => ctx.fmt.money(r.price) },
      { label: ctx.t('logistics.col_departs'), value: (r) => ctx.fmt.date(r.departs) },
      { label: ctx.t('logistics.col_window'), value: (r) => ctx.t('logistics.window', { earliest: ctx.fmt.date(r.earliest), latest: ctx.fmt.date(r.latest) }) },
      { label: ctx.t('logistics.col_by'), value: (r) => (!by ? '—' : r.meets_by ? chip(ctx.t('common.yes'), 'ok') : chip(ctx.t('common.no'), 'warn')) },
      { label: ctx.t('logistics.col_state'), value: (r) => (r.status === 'available' ? chip(ctx.t('logistics.running'), 'ok')
        : chip(ctx.t('logistics.suspended'), 'bad')) },
    ],
    rows,
  });
}

async function windowsCard(ctx) {
  const box = h('section', { class: 'card' }, h('h2', { class: 'card-title' }, ctx.t('logistics.windows_title')),
    h('p', { class: 'hint' }, ctx.t('logistics.windows_hint')));
  const w = await ctx.api.get('/windows');
  if (w.stale) { // the data changed since: the last figures while the new ones are computed
    box.append(h('p', { class: 'notice notice-warn', id: 'windows-stale', role: 'status' }, ctx.t('logistics.windows_stale')));
  }
  const list = (w.windows || []).slice().sort((a, b) => b.orders - a.orders);
  if (!list.length) {
    box.append(empty(ctx.t('logistics.no_windows')));
    return box;
  }
  const names = await regions(ctx, list.map((x) => x.to));
  const pct = (n, x) => (x.orders ? n / x.orders : null);
  if (w.total) {
    const t = w.total;
    box.append(h('p', {}, ctx.t('logistics.windows_total', {
      n: ctx.fmt.number(t.orders), early: ctx.fmt.percent(pct(t.early, t)),
      inside: ctx.fmt.percent(pct(t.inside, t)), late: ctx.fmt.percent(pct(t.late, t)) })));
  }
  const top = list.slice(0, 15);
  chart(box, ctx, {
    caption: ctx.t('logistics.windows_caption', { n: top.length }),
    x: top.map((x) => x.to), xFormat: (c) => regionName(ctx, names, c), xLabel: ctx.t('logistics.col_dest'),
    y: { format: (v) => ctx.fmt.number(v), min: 0 },
    series: [
      { name: ctx.t('logistics.early'), type: 'bar', stack: 'w', color: 'accent', values: top.map((x) => x.early) },
      { name: ctx.t('logistics.inside'), type: 'bar', stack: 'w', color: 'ok', values: top.map((x) => x.inside) },
      { name: ctx.t('logistics.late'), type: 'bar', stack: 'w', color: 'bad', values: top.map((x) => x.late) },
      { name: ctx.t('logistics.no_channel'), type: 'bar', stack: 'w', color: 'muted', values: top.map((x) => x.no_channel) },
    ],
  });
  const more = h('details', { class: 'windows-all' }, h('summary', {}, ctx.t('logistics.windows_all', { n: ctx.fmt.number(list.length) })));
  box.append(more);
  more.append(table({
    caption: ctx.t('logistics.windows_table'),
    columns: [
      { label: ctx.t('logistics.col_dest'), value: (x) => regionName(ctx, names, x.to) },
      { label: ctx.t('logistics.col_orders'), num: true, value: (x) => ctx.fmt.number(x.orders) },
      { label: ctx.t('logistics.early'), num: true, value: (x) => ctx.fmt.percent(pct(x.early, x)) },
      { label: ctx.t('logistics.inside'), num: true, value: (x) => ctx.fmt.percent(pct(x.inside, x)) },
      { label: ctx.t('logistics.late'), num: true, value: (x) => ctx.fmt.percent(pct(x.late, x)) },
      { label: ctx.t('logistics.no_channel'), num: true, value: (x) => ctx.fmt.number(x.no_channel) },
      { label: ctx.t('logistics.col_median'), num: true, value: (x) => (x.median_business_days === null ? '—'
        : ctx.t('logistics.bdays', { n: ctx.fmt.number(x.median_business_days) })) },
    ],
    rows: list,
  }));
  return box;
}

export default {
  id: 'logistics',
  title: 'logistics.title',
  async render(el, ctx) {
    pageStyle('logistics');
    const when = await asOf(ctx);
    const [ch, dis] = await Promise.all([
      ctx.api.get('/channels'),
      ctx.api.get('/disruptions', { active_at: when || new Date().toISOString() }),
    ]);
    const suspended = new Map();
    for (const d of dis.disruptions || []) if (d.channel) suspended.set(d.channel, d);
    el.append(pageHead(ctx, ctx.t('logistics.title'), asOfLine(ctx, when)));
    const channels = ch.channels || [];
    const names = await regions(ctx, channels.flatMap((c) => c.to || []));
    el.append(channelsCard(ctx, channels, suspended, names));
    el.append(await quoteCard(ctx, when, channels));
    el.append(await windowsCard(ctx));
  },
};
