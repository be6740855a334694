// ui.js - small DOM helpers the pages share (no framework: docs/web.md says why).
//
//   h('button', {class: 'btn', onclick: fn, disabled: !ctx.can('operate')}, ctx.t('common.approve'))
//   errorText(err, t)  -> a sentence for a person, never a raw code
//   table({columns: [{label, value: (row) => node|text, num: true}], rows, caption})
//
// Everything is built with createElement and textContent: no innerHTML, so text from the
// API (a buyer's name, a note) can never become markup, and nothing inline breaks the
// Content-Security-Policy.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A readable sentence for an error thrown by api.js (or anything else): the string
// 'error.CODE' of the chosen language when there is one (with the server's message as
// {message}), else the server's own sentence, else a general one.
// Worded from the error's code and field only (error.CODE.FIELD, else error.CODE_field
// with the field named by field.FIELD, else error.CODE): never the server's sentence,
// which is English for API clients.
export function errorText(err, t, has) {
  const code = err && err.code;
  const f = err && err.field;
  if (!code || !has) return t('error.unknown');
  if (f && has('error.' + code + '.' + f)) return t('error.' + code + '.' + f);
  if (f && has('field.' + f) && has('error.' + code + '_field')) return t('error.' + code + '_field', { field: t('field.' + f) });
  if (has('error.' + code)) return t('error.' + code);
  if (err.status >= 500) return t('error.server');
  if (err.status >= 400) return t('error.refused');
  return t('error.unknown');
}

export function errorBox(err, t, has) {
  return h('div', { class: 'notice notice-error', role: 'alert' }, errorText(err, t, has));
}

export function loading(t) {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

export function card(title, ...body) {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, body);
}

// A table: columns [{label, value(row) -> text|Node, num (right-aligned), class}].
export function table({ columns, rows, caption, rowClass }) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table' },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) =>
        h('th', { scope: 'col', class: c.num ? 'num' : c.class }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', { class: rowClass ? rowClass(r) : null },
        columns.map((c) => h('td', { class: c.num ? 'num' : c.class, 'data-label': c.label },
          h('div', { class: 'cell' }, c.value(r)))))))));
}

// A status chip: kind is ok | warn | bad | info | muted (colours in style.css).
export function chip(text, kind = 'muted') {
  return h('span', { class: 'chip chip-' + kind }, text);
}
