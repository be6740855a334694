// pages/messages.js - the outbox by state; a message as the buyer will read it; approve
// or reject one or many; why a message is held. #/messages?state=held&kind=K&shop=S,
// #/messages/ID opens one.
import { h, clear, card, chip, empty, errorBox, errorText } from '../ui.js';

const STATES = ['planned', 'held', 'approved', 'sent', 'failed', 'rejected', 'withdrawn'];
const STATE_KIND = { planned: 'info', held: 'warn', approved: 'ok', sent: 'ok', failed: 'bad', rejected: 'muted', withdrawn: 'muted', sending: 'info' };
const PAGE = 50;

function word(ctx, prefix, code) {
  return ctx.has(prefix + code) ? ctx.t(prefix + code) : code;
}

// A hold in words: what stops the message, with its detail named for a person.
export function holdText(ctx, hold) {
  const { t } = ctx;
  let detail = hold.detail || '';
  if (hold.reason === 'kind_not_allowed') detail = word(ctx, 'messages.kind.', detail);
  if (hold.reason === 'missing_setting') detail = word(ctx, 'messages.setting.', detail);
  // A marketplace's notice to its merchant: the merchant's address is missing, not a buyer's.
  if (hold.reason === 'no_recipient' && detail === 'merchant') return t('messages.hold.no_recipient_merchant');
  return ctx.has('messages.hold.' + hold.reason)
    ? t('messages.hold.' + hold.reason, { detail })
    : t('messages.hold.other', { detail: hold.reason + (detail ? ' (' + detail + ')' : '') });
}

function preview(ctx, msg, p, actions) {
  const { t, fmt } = ctx;
  return h('div', { class: 'preview', id: 'message-preview' },
    h('div', { class: 'preview-head' },
      h('h2', {}, t('messages.preview_title', { id: msg.id })),
      chip(word(ctx, 'messages.state.', msg.state), STATE_KIND[msg.state] || 'muted')),
    h('dl', { class: 'facts' },
      h('dt', {}, t('messages.to')), h('dd', {}, p.to || t('messages.no_address')),
      h('dt', {}, t('messages.order')), h('dd', {}, msg.order || '—'),
      h('dt', {}, t('messages.kind')), h('dd', {}, word(ctx, 'messages.kind.', msg.kind)),
      h('dt', {}, t('messages.planned_at')), h('dd', {}, fmt.datetime(msg.created_at)),
      msg.sent_at ? [h('dt', {}, t('messages.sent_at')), h('dd', {}, fmt.datetime(msg.sent_at))] : null,
      msg.last_error ? [h('dt', {}, t('messages.last_error')), h('dd', {}, msg.last_error)] : null),
    (p.holds || []).length ? h('div', { class: 'notice notice-warn', id: 'message-holds' },
      h('strong', {}, t('messages.why_held')),
      h('ul', {}, p.holds.map((x) => h('li', {}, holdText(ctx, x))))) : null,
    msg.reject_reason ? h('p', { class: 'notice notice-info' }, t('messages.rejected_because', { reason: msg.reject_reason })) : null,
    h('div', { class: 'mail', lang: p.locale || null },
      h('div', { class: 'mail-subject' }, p.subject),
      h('pre', { class: 'mail-body' }, p.body)),
    actions);
}

export default {
  id: 'messages',
  title: 'messages.title',
  async render(el, ctx) {
    const { t, api, fmt, query, params } = ctx;
    const state = STATES.includes(query.get('state')) ? query.get('state') : 'planned';
    const kind = query.get('kind') || '';
    const shop = query.get('shop') || '';
    const canAct = ctx.can('operate');
    let rows = [];
    let cursor = null;
    const selected = new Set();
    const status = h('div', { role: 'status', class: 'status-line', id: 'messages-status' });
    const listBox = h('div', { id: 'messages-list' });
    const side = h('div', { class: 'side', id: 'messages-side' });
    const pickHint = () => clear(side, h('div', { class: 'card pick-hint' }, h('p', { class: 'muted' }, t('messages.pick'))));
    pickHint();

    const say = (text, kindClass = 'ok') => clear(status, text ? h('p', { class: 'notice notice-' + kindClass }, text) : null);
    const link = (over) => {
      const q = new URLSearchParams({ state, ...(kind ? { kind } : {}), ...(shop ? { shop } : {}), ...over });
      for (const [k, v] of [...q]) if (!v) q.delete(k);
      return '#/messages?' + q.toString();
    };

    const shops = await api.get('/shops').then((r) => r.shops).catch(() => []);
    const shopName = new Map(shops.map((s) => [s.id, s.name]));

    async function loadPage() {
      const page = await api.get('/messages', { state, kind, shop, limit: PAGE, cursor });
      rows = rows.concat(page.messages);
      cursor = page.next_cursor;
    }

    async function act(fn, okText) {
      say('');
      try {
        const r = await fn();
        say(okText(r), 'ok');
        rows = [];
        cursor = null;
        selected.clear();
        await loadPage();
        drawList();
        pickHint();
      } catch (e) {
        say(errorText(e, t, ctx.has), 'error');
      }
    }

    function rejectForm(ids) {
      const input = h('input', { id: 'reject-reason', required: true, maxlength: 500, autocomplete: 'off' });
      const form = h('form', { class: 'reject-form' },
        h('div', { class: 'field' }, h('label', { for: 'reject-reason' },
          t(ids.length > 1 ? 'messages.reject_many_reason' : 'messages.reject_reason', { n: ids.length })), input),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', class: 'btn btn-danger', id: 'reject-confirm' }, t('common.reject')),
          h('button', { type: 'button', class: 'btn', onclick: () => form.remove() }, t('common.cancel'))));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const reason = input.value.trim();
        if (!reason) return;
        act(async () => {
          for (const id of ids) await api.post('/messages/' + id + '/reject', { reason });
          return ids.length;
        }, (n) => t('messages.rejected_n', { n: fmt.number(n) }));
      });
      setTimeout(() => input.focus(), 0);
      return form;
    }

    async function open(id) {
      clear(side, h('p', { class: 'loading' }, t('common.loading')));
      try {
        const [msg, p] = await Promise.all([api.get('/messages/' + id), api.get('/messages/' + id + '/preview')]);
        const buttons = h('div', { class: 'actions' });
        if (canAct && msg.state === 'planned') {
          buttons.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'approve-one',
            onclick: () => act(() => api.post('/messages/' + id + '/approve'), () => t('messages.approved_one', { id })) },
          t('common.approve')));
        }
        if (canAct && (msg.state === 'planned' || msg.state === 'held')) {
          buttons.append(h('button', { type: 'button', class: 'btn btn-danger', id: 'reject-one',
            onclick: () => buttons.after(rejectForm([id])) }, t('common.reject')));
        }
        clear(side, preview(ctx, msg, p, buttons));
        const top = side.getBoundingClientRect().top;
        if (top < 0 || top > window.innerHeight - 80) side.scrollIntoView({ block: 'start' });
      } catch (e) {
        clear(side, errorBox(e, t, ctx.has));
      }
    }

    function drawList() {
      const bulk = canAct && (state === 'planned' || state === 'held');
      const head = h('div', { class: 'actions list-actions' });
      if (bulk) {
        const n = selected.size;
        if (state === 'planned') {
          head.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'approve-selected', disabled: !n,
            onclick: () => act(() => api.post('/messages/approve', { ids: [...selected] }), (r) =>
              t('messages.approved_n', { n: fmt.number(r.approved) }) +
              (r.refused && r.refused.length ? ' ' + t('messages.refused_n', { n: fmt.number(r.refused.length) }) : '')) },
          t('messages.approve_selected', { n: fmt.number(n) })));
        }
        head.append(h('button', { type: 'button', class: 'btn btn-danger', id: 'reject-selected', disabled: !n,
          onclick: () => head.after(rejectForm([...selected])) }, t('messages.reject_selected', { n: fmt.number(n) })));
      }
      if (!rows.length) {
        clear(listBox, empty(t('messages.none_' + state)));
        return;
      }
      const all = bulk ? h('input', { type: 'checkbox', id: 'select-all', 'aria-label': t('messages.select_all'),
        checked: rows.every((r) => selected.has(r.id)) }) : null;
      if (all) all.addEventListener('change', () => {
        for (const r of rows) { if (all.checked) selected.add(r.id); else selected.delete(r.id); }
        drawList();
      });
      const tr = (m) => {
        const box = bulk ? h('input', { type: 'checkbox', 'aria-label': t('messages.select', { id: m.id }), checked: selected.has(m.id), class: 'select-one' }) : null;
        if (box) box.addEventListener('change', () => { if (box.checked) selected.add(m.id); else selected.delete(m.id); drawList(); });
        const openBtn = h('button', { type: 'button', class: 'btn-link row-open', onclick: () => open(m.id),
          lang: m.subject ? m.locale || null : null }, m.subject || t('messages.no_subject'));
        return h('tr', { class: selected.has(m.id) ? 'selected' : null, dataset: { id: m.id } },
          bulk ? h('td', { class: 'check' }, box) : null,
          h('td', { 'data-label': t('messages.subject') }, h('div', { class: 'cell' }, openBtn,
            (m.holds || []).length ? h('div', { class: 'small' }, m.holds.map((x) =>
              chip(word(ctx, 'messages.hold_short.', x.reason), 'warn'))) : null)),
          h('td', { 'data-label': t('messages.kind') }, word(ctx, 'messages.kind.', m.kind)),
          h('td', { 'data-label': t('messages.shop') }, shopName.get(m.shop) || m.shop),
          h('td', { 'data-label': t('messages.order'), class: 'nowrap' }, m.order || '—'));
      };
      const reasons = new Map();
      for (const m of rows) for (const x of m.holds || []) {
        const k = holdText(ctx, x);
        reasons.set(k, (reasons.get(k) || 0) + 1);
      }
      clear(listBox, head,
        reasons.size ? h('div', { class: 'notice notice-warn', id: 'held-summary' },
          h('strong', {}, t('messages.why_held')),
          h('ul', {}, [...reasons].map(([k, n]) => h('li', {}, k, ' ', chip(fmt.number(n), 'warn'))))) : null,
        h('div', { class: 'table-wrap' }, h('table', { class: 'table messages-table' },
          h('caption', {}, t('messages.showing', { n: fmt.number(rows.length) })),
          h('thead', {}, h('tr', {}, bulk ? h('th', { class: 'check' }, all) : null,
            h('th', {}, t('messages.subject')), h('th', {}, t('messages.kind')), h('th', {}, t('messages.shop')),
            h('th', {}, t('messages.order')))),
          h('tbody', {}, rows.map(tr)))),
        cursor ? h('button', { type: 'button', class: 'btn', id: 'messages-more', onclick: async () => {
          try { await loadPage(); drawList(); } catch (e) { say(errorText(e, t, ctx.has), 'error'); }
        } }, t('common.more')) : null);
    }

    const kinds = ['late_shipment', 'late_delivery', 'out_of_stock', 'compensation_coupon', 'unshipped_order', 'promo_code', 'service_resumed'];
    const kindSel = h('select', { id: 'messages-kind' }, h('option', { value: '' }, t('common.all')),
      kinds.map((k) => h('option', { value: k, selected: k === kind }, word(ctx, 'messages.kind.', k))));
    const shopSel = h('select', { id: 'messages-shop' }, h('option', { value: '' }, t('common.all')),
      shops.map((s) => h('option', { value: s.id, selected: s.id === shop }, s.name)));
    kindSel.addEventListener('change', () => ctx.navigate(link({ kind: kindSel.value })));
    shopSel.addEventListener('change', () => ctx.navigate(link({ shop: shopSel.value })));

    clear(el,
      h('div', { class: 'page-head' }, h('h1', {}, t('messages.title')),
        h('span', { class: 'sub' }, canAct ? t('messages.lede') : t('messages.lede_viewer'))),
      h('nav', { class: 'tabs', 'aria-label': t('messages.states') }, STATES.map((s) =>
        h('a', { href: link({ state: s }), class: 'tab', id: 'tab-' + s, 'aria-current': s === state ? 'page' : false },
          word(ctx, 'messages.state.', s)))),
      h('div', { class: 'filters' },
        h('label', { class: 'field inline' }, h('span', {}, t('messages.kind')), kindSel),
        h('label', { class: 'field inline' }, h('span', {}, t('messages.shop')), shopSel)),
      status,
      h('div', { class: 'split' }, card(null, listBox), side));
    await loadPage();
    drawList();
    if (params[0]) await open(params[0]);
  },
};
