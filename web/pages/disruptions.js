// pages/disruptions.js - disruptions: the list (in force, or all), declare one with a
// region picker named in the reader's language, and one disruption (#/disruptions/ID):
// what it is, its history, edit, lift, and its impact (orders held, SKUs and suppliers
// inside, shops gaining exemptions, customers to be written to).
import { h, clear, card, table, chip, empty, errorBox, errorText } from '../ui.js';
import { regionNames, regionLabel, countries, subdivisions } from '../regions.js';
import { actorText } from '../words.js';

const KINDS = ['lockdown', 'strike', 'route_suspension', 'carrier_suspension', 'supplier_shutdown',
  'holiday', 'weather', 'customer_service_closure', 'other'];
const SCOPES = ['origin', 'destination', 'both'];

const word = (ctx, prefix, code) => (ctx.has(prefix + code) ? ctx.t(prefix + code) : code);

// <input type=datetime-local> value of an ISO instant, in the browser's zone, and back.
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}
function fromLocalInput(v) {
  return v ? new Date(v).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

function field(id, label, control, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control,
    hint ? h('p', { class: 'hint', id: id + '-hint' }, hint) : null);
}

// The region picker: a country, then (optionally) one of its subdivisions, then
// (optionally) a postal prefix; names in the reader's language, sorted as it sorts.
async function regionPicker(ctx, initial) {
  const { t, api, lang } = ctx;
  const list = await countries(api, lang);
  const [base, postal] = (initial || '').split(':');
  const [cc] = base ? base.split('-') : [''];
  const country = h('select', { id: 'dis-country', required: true },
    h('option', { value: '' }, t('disruptions.pick_country')),
    list.map((r) => h('option', { value: r.code, selected: r.code === cc }, r.name + ' (' + r.code + ')')));
  const sub = h('select', { id: 'dis-subdivision' });
  const post = h('input', { id: 'dis-postal', value: postal || '', maxlength: 12, autocomplete: 'off', inputmode: 'text' });
  async function loadSubs(selected) {
    clear(sub, h('option', { value: '' }, t('disruptions.whole_country')));
    if (!country.value) return;
    const subs = await subdivisions(api, country.value, lang);
    for (const r of subs) sub.append(h('option', { value: r.code, selected: r.code === selected }, r.name + ' (' + r.code + ')'));
  }
  country.addEventListener('change', () => loadSubs('').catch((e) => console.warn(e)));
  await loadSubs(base && base.includes('-') ? base : '');
  const value = () => {
    const b = sub.value || country.value;
    const p = post.value.trim();
    return b ? (p ? b + ':' + p : b) : '';
  };
  const node = h('fieldset', { class: 'region-picker' }, h('legend', {}, t('disruptions.region')),
    h('div', { class: 'field-row' },
      field('dis-country', t('disruptions.country'), country),
      field('dis-subdivision', t('disruptions.subdivision'), sub),
      field('dis-postal', t('disruptions.postal'), post, t('disruptions.postal_hint'))));
  return { node, value };
}

function select(id, options, selected, label) {
  return h('select', { id }, options.map(([v, text]) => h('option', { value: v, selected: v === selected }, text)),
    label ? null : null);
}

async function disruptionForm(ctx, d, onDone) {
  const { t, api } = ctx;
  const editing = !!d;
  const picker = await regionPicker(ctx, d ? d.region : '');
  const kind = select('dis-kind', KINDS.map((k) => [k, word(ctx, 'disruptions.kind.', k)]), d ? d.kind : 'lockdown');
  const scope = select('dis-scope', SCOPES.map((s) => [s, t('disruptions.scope_long.' + s)]), d ? d.scope : 'origin');
  const from = h('input', { id: 'dis-from', type: 'datetime-local', required: true, value: toLocalInput(d ? d.starts_at : new Date().toISOString()) });
  const to = h('input', { id: 'dis-to', type: 'datetime-local', value: d && !d.until_further_notice ? toLocalInput(d.ends_at) : '' });
  const note = h('textarea', { id: 'dis-note', maxlength: 500 }, d && d.note ? d.note : '');
  const msg = h('div', { role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: editing ? 'dis-save' : 'dis-declare' },
    editing ? t('common.save') : t('disruptions.declare'));
  const form = h('form', { class: 'dis-form', id: editing ? 'dis-edit-form' : 'dis-declare-form' },
    msg, picker.node,
    h('div', { class: 'field-row' },
      field('dis-kind', t('disruptions.kind'), kind),
      field('dis-scope', t('disruptions.scope'), scope),
      field('dis-from', t('disruptions.from'), from),
      field('dis-to', t('disruptions.to'), to, t('disruptions.to_hint'))),
    field('dis-note', t('disruptions.note'), note),
    h('div', { class: 'actions' }, submit,
      h('button', { type: 'button', class: 'btn', onclick: () => onDone(null) }, t('common.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(msg);
    const region = picker.value();
    if (!region) {
      clear(msg, h('p', { class: 'notice notice-error' }, t('disruptions.need_region')));
      return;
    }
    const body = { region, kind: kind.value, scope: scope.value, from: fromLocalInput(from.value) };
    const end = fromLocalInput(to.value);
    const text = note.value.trim();
    submit.disabled = true;
    try {
      let res;
      if (editing) {
        const patch = {};
        if (body.region !== d.region) patch.region = body.region;
        if (body.kind !== d.kind) patch.kind = body.kind;
        if (body.scope !== d.scope) patch.scope = body.scope;
        if (body.from !== d.starts_at) patch.from = body.from;
        if ((end || null) !== (d.until_further_notice ? null : d.ends_at)) patch.to = end;
        if ((text || null) !== (d.note || null)) patch.note = text || null;
        if (!Object.keys(patch).length) { onDone(null); return; }
        res = await api.patch('/disruptions/' + d.id, patch);
      } else {
        if (end) body.to = end;
        if (text) body.note = text;
        res = await api.post('/disruptions', body);
      }
      onDone(res);
    } catch (err) {
      clear(msg, h('p', { class: 'notice notice-error' }, errorText(err, t, ctx.has)));
      submit.disabled = false;
    }
  });
  return form;
}

function when(ctx, x) {
  const { t, fmt } = ctx;
  if (x.lifted_at) return t('disruptions.lifted_on', { from: fmt.datetime(x.starts_at), at: fmt.datetime(x.lifted_at) });
  if (x.until_further_notice) return t('today.since_open', { from: fmt.datetime(x.starts_at) });
  return t('today.since_until', { from: fmt.datetime(x.starts_at), to: fmt.datetime(x.effective_end || x.ends_at) });
}

function stateOf(x, now) {
  const start = Date.parse(x.starts_at);
  const end = x.effective_end ? Date.parse(x.effective_end) : Infinity;
  if (start > now) return 'upcoming';
  return now < end ? 'in_force' : 'ended';
}

async function listView(el, ctx) {
  const { t, api, fmt, lang, query } = ctx;
  const showAll = query.get('all') === '1';
  const res = await api.get('/disruptions');
  const names = await regionNames(api, res.disruptions.map((x) => x.region), lang);
  const now = Date.now();
  const rows = res.disruptions
    .map((x) => ({ ...x, state: stateOf(x, now) }))
    .filter((x) => showAll || x.state !== 'ended')
    .sort((a, b) => Date.parse(b.starts_at) - Date.parse(a.starts_at));
  const formBox = h('div', { id: 'dis-form-box' });
  const declareBtn = ctx.can('operate') ? h('button', { type: 'button', class: 'btn btn-primary', id: 'dis-new',
    onclick: async () => {
      declareBtn.disabled = true;
      try {
        clear(formBox, card(t('disruptions.declare_title'), await disruptionForm(ctx, null, (d) => {
          declareBtn.disabled = false;
          clear(formBox);
          if (d) ctx.navigate('#/disruptions/' + d.id + '?declared=1');
        })));
        formBox.querySelector('select').focus();
      } catch (e) {
        declareBtn.disabled = false;
        clear(formBox, errorBox(e, t, ctx.has));
      }
    } }, t('disruptions.declare')) : null;
  clear(el,
    h('div', { class: 'page-head' }, h('h1', {}, t('disruptions.title')),
      h('span', { class: 'sub' }, t('disruptions.lede')), h('div', { class: 'actions' }, declareBtn)),
    formBox,
    h('nav', { class: 'tabs', 'aria-label': t('disruptions.title') },
      h('a', { class: 'tab', href: '#/disruptions', 'aria-current': showAll ? false : 'page' }, t('disruptions.current')),
      h('a', { class: 'tab', href: '#/disruptions?all=1', 'aria-current': showAll ? 'page' : false }, t('disruptions.all'))),
    card(null, rows.length ? table({
      columns: [
        { label: t('disruptions.region'), value: (x) => h('a', { href: '#/disruptions/' + x.id }, regionLabel(names, x.region)) },
        { label: t('disruptions.kind'), value: (x) => word(ctx, 'disruptions.kind.', x.kind) },
        { label: t('disruptions.scope'), value: (x) => t('disruptions.scope.' + x.scope) },
        { label: t('disruptions.when'), value: (x) => when(ctx, x) },
        { label: t('disruptions.state'), value: (x) => chip(t('disruptions.state.' + x.state), x.state === 'in_force' ? 'warn' : x.state === 'upcoming' ? 'info' : 'muted') },
        { label: t('disruptions.note'), value: (x) => x.note || '' },
      ],
      rows,
      caption: t('disruptions.count', { n: fmt.number(rows.length) }),
    }) : empty(showAll ? t('disruptions.none') : t('disruptions.none_current'))));
}

function impactView(ctx, imp) {
  const { t, fmt } = ctx;
  const places = new Map();
  for (const s of imp.skus || []) {
    const k = s.from + '|' + s.place;
    if (!places.has(k)) places.set(k, { from: s.from, place: s.place, name: s.place_name, skus: [] });
    places.get(k).skus.push(s);
  }
  const fig = (id, n, label, kind) => h('div', { class: 'stat-card stat-' + (n ? kind : 'muted'), id: 'impact-' + id },
    h('span', { class: 'stat' }, fmt.number(n)), h('span', { class: 'stat-label' }, label));
  return [
    h('p', {}, imp.in_force ? chip(t('disruptions.in_force_at', { at: fmt.datetime(imp.as_of) }), 'warn')
      : chip(t('disruptions.not_in_force_at', { at: fmt.datetime(imp.as_of) }), 'muted')),
    h('div', { class: 'stats' },
      fig('held', imp.held.orders, t('disruptions.imp_held'), 'bad'),
      fig('transit', imp.in_transit, t('disruptions.imp_transit'), 'warn'),
      fig('exempt', imp.exempt.orders, t('disruptions.imp_exempt'), 'info'),
      fig('skus', (imp.skus || []).length, t('disruptions.imp_skus'), 'warn'),
      fig('customers', imp.customers_to_write_to, t('disruptions.imp_customers'), 'info')),
    imp.listings ? h('p', { class: 'muted' }, imp.listings.every_listing_for_buyers_inside
      ? t('disruptions.imp_listings_all', { n: fmt.number(imp.listings.affected) })
      : t('disruptions.imp_listings', { n: fmt.number(imp.listings.affected) })) : null,
    h('div', { class: 'grid-2' },
      card(t('disruptions.imp_held_by_shop'), imp.held.by_shop.length ? table({
        columns: [
          { label: t('today.col_shop'), value: (r) => r.shop_name || r.shop },
          { label: t('disruptions.channel'), value: (r) => r.channel || t('disruptions.no_channel') },
          { label: t('disruptions.orders'), num: true, value: (r) => fmt.number(r.orders) },
        ],
        rows: imp.held.by_shop,
      }) : empty(t('disruptions.imp_none_held'))),
      card(t('disruptions.imp_exempt_by_shop'), imp.exempt.by_shop.length ? [table({
        columns: [
          { label: t('today.col_shop'), value: (r) => r.shop_name || r.shop },
          { label: t('disruptions.orders'), num: true, value: (r) => fmt.number(r.orders) },
        ],
        rows: imp.exempt.by_shop,
      }), imp.exempt.not_automatic ? h('p', { class: 'hint' }, t('disruptions.imp_not_automatic', { n: fmt.number(imp.exempt.not_automatic) })) : null]
        : empty(t('disruptions.imp_none_exempt')))),
    card(t('disruptions.imp_places'), places.size ? [...places.values()].map((p) => h('details', { class: 'place' },
      h('summary', {}, h('strong', {}, p.name || p.place), ' ', chip(t('disruptions.from_' + p.from), 'muted'), ' ',
        t('disruptions.imp_place_skus', { n: fmt.number(p.skus.length) })),
      h('ul', { class: 'plain small' }, p.skus.map((s) => h('li', {}, h('strong', {}, s.sku), ' ', s.name || '',
        s.listed ? '' : h('span', { class: 'muted' }, ' · ' + t('disruptions.not_listed'))))))) : empty(t('disruptions.imp_no_places'))),
  ];
}

// A value of the history as a person reads it: instants in the reader's zone, "open" as
// until further notice, codes as words, region codes named.
function histValue(ctx, names, fieldName, v) {
  const { t, fmt } = ctx;
  if (v === null || v === undefined || v === '') return '—';
  const one = (x) => {
    if (x === 'open') return t('disruptions.open');
    if (/^\d{4}-\d{2}-\d{2}T/.test(x)) return fmt.datetime(x);
    return x;
  };
  if (fieldName === 'region') return regionLabel(names, v);
  if (fieldName === 'kind') return word(ctx, 'disruptions.kind.', v);
  if (fieldName === 'scope') return ctx.has('disruptions.scope.' + v) ? t('disruptions.scope.' + v) : v;
  if (fieldName === 'declared') return v.split('/').map(one).join(' – ');
  return one(v);
}

async function detailView(el, ctx, id) {
  const { t, api, fmt, lang, query } = ctx;
  const [d, cyc] = await Promise.all([api.get('/disruptions/' + encodeURIComponent(id)), api.get('/cycles', { limit: 1 })]);
  const names = await regionNames(api, [d.region, ...d.history.filter((e) => e.field === 'region').flatMap((e) => [e.from, e.to])], lang);
  // the impact as of the last cycle's day (the day the data was worked through), or the
  // disruption's start when it begins later; a date picker changes it
  const lastAsOf = cyc.cycles[0] ? cyc.cycles[0].as_of : new Date().toISOString();
  let asOf = query.get('as_of') || (Date.parse(d.starts_at) > Date.parse(lastAsOf) ? d.starts_at : lastAsOf);
  const impactBox = h('div', { id: 'impact' }, h('p', { class: 'loading' }, t('common.loading')));
  const status = h('div', { role: 'status' });
  if (query.get('declared')) clear(status, h('p', { class: 'notice notice-ok' }, t('disruptions.declared_ok')));
  const editBox = h('div');
  const buttons = h('div', { class: 'actions' });
  const lifted = !!d.lifted_at;
  if (ctx.can('operate')) {
    buttons.append(h('button', { type: 'button', class: 'btn', id: 'dis-edit', onclick: async () => {
      clear(editBox, card(t('disruptions.edit_title'), await disruptionForm(ctx, d, (res) => {
        clear(editBox);
        if (res) ctx.navigate('#/disruptions/' + d.id);
      })));
    } }, t('common.edit')));
    if (!lifted) buttons.append(h('button', { type: 'button', class: 'btn btn-danger', id: 'dis-lift', onclick: () => {
      const at = h('input', { id: 'lift-at', type: 'datetime-local', value: toLocalInput(new Date().toISOString()) });
      const form = h('form', { class: 'card', id: 'lift-form' },
        h('h2', {}, t('disruptions.lift_title')),
        field('lift-at', t('disruptions.lift_at'), at, t('disruptions.lift_hint')),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-danger', id: 'lift-confirm' }, t('disruptions.lift')),
          h('button', { type: 'button', class: 'btn', onclick: () => clear(editBox) }, t('common.cancel'))));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        try {
          await api.post('/disruptions/' + d.id + '/lift', { at: fromLocalInput(at.value) || 'now' });
          ctx.navigate('#/disruptions/' + d.id);
        } catch (err) {
          clear(status, h('p', { class: 'notice notice-error' }, errorText(err, t, ctx.has)));
        }
      });
      clear(editBox, form);
      at.focus();
    } }, t('disruptions.lift')));
  }
  const asOfInput = h('input', { id: 'impact-as-of', type: 'date', value: asOf.slice(0, 10) });
  asOfInput.addEventListener('change', () => {
    if (asOfInput.value) ctx.navigate('#/disruptions/' + d.id + '?as_of=' + asOfInput.value + 'T23:59:59Z');
  });
  const hist = d.history.length ? table({
    columns: [
      { label: t('disruptions.h_when'), value: (e) => fmt.datetime(e.at) },
      { label: t('disruptions.h_who'), value: (e) => (e.by_actor ? actorText(ctx, e.by_actor) : t('disruptions.h_unknown')) },
      { label: t('disruptions.h_what'), value: (e) => word(ctx, 'disruptions.field.', e.field) },
      { label: t('disruptions.h_from'), value: (e) => histValue(ctx, names, e.field, e.from) },
      { label: t('disruptions.h_to'), value: (e) => histValue(ctx, names, e.field, e.to) },
    ],
    rows: d.history,
  }) : empty(t('disruptions.no_history'));
  clear(el,
    h('p', {}, h('a', { href: '#/disruptions' }, t('disruptions.back'))),
    h('div', { class: 'page-head' },
      h('h1', {}, regionLabel(names, d.region)),
      chip(word(ctx, 'disruptions.kind.', d.kind), 'warn'),
      h('span', { class: 'sub' }, t('disruptions.scope.' + d.scope)),
      buttons),
    status, editBox,
    card(null, h('dl', { class: 'facts' },
      h('dt', {}, t('disruptions.when')), h('dd', {}, when(ctx, d)),
      d.note ? [h('dt', {}, t('disruptions.note')), h('dd', {}, d.note)] : null,
      d.channel ? [h('dt', {}, t('disruptions.channel')), h('dd', {}, d.channel)] : null,
      d.supplier ? [h('dt', {}, t('disruptions.supplier')), h('dd', {}, d.supplier)] : null,
      h('dt', {}, t('disruptions.source')), h('dd', {}, word(ctx, 'disruptions.source.', d.source)))),
    h('section', { class: 'impact' },
      h('div', { class: 'page-head' }, h('h2', {}, t('disruptions.impact')),
        h('label', { class: 'field inline' }, h('span', {}, t('disruptions.as_of')), asOfInput)),
      impactBox),
    card(t('disruptions.history'), hist));
  try {
    const imp = await api.get('/disruptions/' + d.id + '/impact', { as_of: asOf });
    clear(impactBox, impactView(ctx, imp));
  } catch (e) {
    clear(impactBox, errorBox(e, t, ctx.has));
  }
}

export default {
  id: 'disruptions',
  title: 'disruptions.title',
  async render(el, ctx) {
    if (ctx.params[0]) await detailView(el, ctx, ctx.params[0]);
    else await listView(el, ctx);
  },
};
