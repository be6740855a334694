// app.js - the dashboard's shell: who is signed in, the header, the language, and the
// router on the location hash (#/today, #/health/SHOP?x=1). A page is a module
// /pages/ID.js loaded when first visited:
//
//   export default { id: 'stock', title: 'stock.title', async render(el, ctx) { ... } }
//
// ctx = { api, t, fmt, me, params, query, navigate, can } (docs/web.md, "Adding a page").
// A page whose module is not there is said so, and the rest works.
import { api } from './api.js';
import { t, fmt, setLang, getLang, has } from './i18n.js';
import { h, clear, errorBox, loading } from './ui.js';

// The pages in the nav, in order. `for`: who sees it: a merchant organisation's users,
// a marketplace's (platform) users, or both.
export const NAV = [
  { id: 'today', for: 'both' },
  { id: 'messages', for: 'merchant' },
  { id: 'disruptions', for: 'both' },
  { id: 'health', for: 'merchant' },
  { id: 'stock', for: 'merchant' },
  { id: 'orders', for: 'merchant' },
  { id: 'logistics', for: 'merchant' },
  { id: 'market', for: 'platform' },
  { id: 'watch', for: 'both' },
];

const RANK = { viewer: 1, operator: 2, admin: 3, platform: 4 };
let me = null;
let renderSeq = 0;

const $ = (id) => document.getElementById(id);

function can(action) {
  const r = me ? RANK[me.role] || 0 : 0;
  if (action === 'operate') return r >= RANK.operator;
  if (action === 'admin') return r >= RANK.admin;
  if (action === 'view') return r >= RANK.viewer;
  return false;
}

function visible(item) {
  const kind = me && me.org && me.org.kind === 'platform' ? 'platform' : 'merchant';
  return item.for === 'both' || item.for === kind;
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { id: parts[0] || '', params: parts.slice(1), query: new URLSearchParams(qs || '') };
}

function navigate(hash) {
  const want = hash.startsWith('#') ? hash : '#' + hash;
  if (location.hash === want) route();
  else location.hash = want;
}

function renderHeader() {
  $('top').hidden = !me;
  $('skip-link').textContent = t('app.skip');
  $('menu-label').textContent = t('app.menu');
  $('lang-label').textContent = t('app.language');
  $('sign-out').textContent = t('app.sign_out');
  $('lang').value = getLang();
  if (!me) return;
  $('brand-name').textContent = me.org.name;
  $('who').textContent = t('app.signed_in_as', { name: me.name, role: t('role.' + me.role) });
  const current = parseHash().id;
  clear($('nav-list'), NAV.filter(visible).map((item) => h('li', {},
    h('a', {
      href: '#/' + item.id, id: 'nav-' + item.id,
      'aria-current': item.id === current ? 'page' : false,
    }, t('nav.' + item.id)))));
}

async function loadMe() {
  try {
    me = await api.get('/me');
    api.setCsrf(me.csrf_token);
  } catch (e) {
    if (e.status !== 401) throw e;
    me = null;
  }
  return me;
}

async function pageModule(id) {
  try {
    return (await import('/pages/' + id + '.js')).default;
  } catch (e) {
    console.warn('page ' + id + ' is not available:', e.message);
    return null;
  }
}

// <html data-page="today" data-ready="1"> once a page has rendered (tests wait for it).
function done(id) {
  document.documentElement.dataset.page = id;
  document.documentElement.dataset.ready = '1';
}

async function route() {
  const seq = ++renderSeq;
  document.documentElement.dataset.ready = '0';
  let { id, params, query } = parseHash();
  if (!me && id !== 'signin') {
    navigate('#/signin');
    return;
  }
  if (me && (id === '' || id === 'signin')) {
    navigate('#/' + NAV.find(visible).id);
    return;
  }
  renderHeader();
  $('top').classList.remove('open');
  $('menu-toggle').setAttribute('aria-expanded', 'false');
  const view = $('view');
  const el = h('div', { class: 'page page-' + id });
  clear(view, loading(t));
  const item = NAV.find((n) => n.id === id);
  const mod = id === 'signin' || (item && visible(item)) ? await pageModule(id) : null;
  if (seq !== renderSeq) return;
  if (!mod) {
    const known = item && visible(item);
    document.title = t(known ? 'nav.' + id : 'app.not_found') + ' · Ballast';
    clear(view, h('div', { class: 'page' },
      h('h1', {}, t(known ? 'nav.' + id : 'app.not_found')),
      h('p', {}, t(known ? 'app.unavailable' : 'app.not_found_text'))));
    done(id);
    return;
  }
  document.title = t(mod.title) + ' · Ballast';
  const ctx = { api, t, fmt, me, params, query, navigate, can, has, lang: getLang(),
    refresh: () => route(), signedIn: async () => { await loadMe(); await userLanguage(); navigate('#/'); } };
  try {
    await mod.render(el, ctx);
  } catch (e) {
    if (seq !== renderSeq) return;
    console.warn(e);
    el.append(errorBox(e, t, has));
  }
  if (seq !== renderSeq) return;
  clear(view, el);
  view.focus({ preventScroll: true });
  done(id);
}

// The language a signed-in user chose (GET /me's `language`, kept by the server): it
// follows them from browser to browser, over what this browser remembered.
async function userLanguage() {
  if (me && me.language && me.language !== getLang()) await setLang(me.language);
}

// The switch: this browser remembers it (i18n.js), and the server too for a signed-in
// user (PATCH /api/v1/me); an API token's browser session keeps it here only.
async function chooseLanguage(code) {
  await setLang(code);
  if (!me || !me.user || me.language === getLang()) return;
  try {
    me = await api.patch('/me', { language: getLang() });
  } catch (e) {
    console.warn('the language was not kept for the user:', e.message);
  }
}

function showBanner(text) {
  const b = $('banner');
  b.textContent = text;
  b.hidden = !text;
}

async function start() {
  const chosen = localStorage.getItem('ballast.lang');
  await setLang(chosen);
  api.onUnauthorized(() => {
    if (!me) return;
    me = null;
    showBanner(t('app.session_ended'));
    navigate('#/signin');
  });
  $('lang').addEventListener('change', async (e) => {
    await chooseLanguage(e.target.value);
    route();
  });
  $('sign-out').addEventListener('click', async () => {
    try { await api.del('/sessions'); } catch (e) { console.warn(e); }
    me = null;
    api.setCsrf(null);
    navigate('#/signin');
  });
  $('skip-link').addEventListener('click', (e) => { // the hash is the router's: focus instead
    e.preventDefault();
    $('view').focus();
  });
  $('menu-toggle').addEventListener('click', () => {
    const open = $('top').classList.toggle('open');
    $('menu-toggle').setAttribute('aria-expanded', String(open));
  });
  window.addEventListener('hashchange', () => { showBanner(''); route(); });
  try {
    await loadMe();
    await userLanguage();
  } catch (e) {
    clear($('view'), errorBox(e, t, has));
    return;
  }
  route();
}

start();
