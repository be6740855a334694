// The dashboard in the reader's language, and the watch page (issues 17 and 19; docs/web.md,
// "Strings" and "The watch"), in a real browser against a `ballast serve` on the demo store:
// - what the server says in codes reaches a zh-CN page in Chinese: every page and detail
//   view, at 1280 px, leaves no Latin word but names (shops, items, carriers, places,
//   people, as the API gives them), codes and text declared as another language (a
//   buyer's message); an action decided and a disruption declared with an API token say
//   who in words ("API 令牌“ops desk”"), and the API gives that actor in parts; a SKU's
//   alerts are worded from their codes and numbers;
// - a signed-in user's language follows them to another browser (PATCH /api/v1/me), a
//   bearer token's /me has none and cannot keep one;
// - the watch page: the tax thresholds (a place over its threshold, the day and order that
//   passed 100%, the rule's source), a programme's members with their shares and the
//   losses with their reason, in both languages at 1280 and 375 px, as a merchant, a
//   marketplace seller (Olist) and a platform user; screenshots watch-*.png.
// Skipped (77) when chromium or playwright-core is missing (tests/weblib/harness.mjs).
import { start, PASSWORD, rawKeys, foreignWords } from '../weblib/harness.mjs';

const T = await start('ballast-words.');
const { ok, bl, json, newPage, signIn, open, shot } = T;
// Latin words a zh-CN page may show: marketplaces' brand names and a forecasting method's
// name. (The command that schedules the cycle is shown as code, translate="no".)
const ALLOWED = ['Temu', 'Olist', 'TikTok', 'Shop', 'Croston'];

T.demo();
for (const [org, name, role] of [['default', 'words-op', 'operator'], ['default', 'words-lang', 'viewer'],
  ['olist', 'words-olist', 'operator']]) {
  bl(['--org', org, 'user', 'add', name, '--role', role, '--password-stdin'], PASSWORD + '\n');
}
bl(['--org', 'words-mall', 'init']);
bl(['org', 'govern', 'default', '--by', 'words-mall']);
bl(['--org', 'words-mall', 'user', 'add', 'words-platform', '--role', 'platform', '--password-stdin'], PASSWORD + '\n');
bl(['--org', 'words-mall', 'programs', 'add', T.SRC + '/data/programs/resumption.json']);
const token = bl(['token', 'create', '--role', 'operator', '--label', 'ops desk']).split('\n').pop().trim();
for (const k of ['out_of_stock', 'pause_promotion', 'pause_mail', 'extend_handling']) bl(['actions', '--policy', k + '=propose']);
for (let day = 16; day < 24 && !json(['actions', '--state', 'proposed']).length; day++) {
  bl(['playbook', '--as-of', `2024-11-${day}T00:00:00Z`, '--apply']);
}
const BASE = await T.serve();

async function call(method, path, body, tok = token) {
  const r = await fetch(BASE + '/api/v1' + path, { method, headers: { Authorization: 'Bearer ' + tok, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

// ---- an API token decides: the API says who in parts
const proposed = (await call('GET', '/actions?state=proposed')).body.actions;
ok(proposed.length > 0, 'the playbook proposed actions', proposed.length);
const act = (await call('POST', '/actions/' + proposed[0].id + '/approve', { note: 'agreed' })).body;
ok(JSON.stringify(act.decided_by_actor) === JSON.stringify({ kind: 'token', name: 'ops desk', token_id: null, marketplace: null }) &&
  act.decided_by === "API token 'ops desk'", 'an approved action: decided_by_actor in parts, decided_by kept', JSON.stringify(act).slice(0, 400));
const dis = (await call('POST', '/disruptions', { region: 'CN-ZJ', scope: 'origin', kind: 'lockdown', from: '2024-11-14T00:00:00+08:00', note: 'Yiwu lockdown' })).body;
ok(dis.history && dis.history[0].by_actor && dis.history[0].by_actor.kind === 'token' && dis.history[0].by_actor.name === 'ops desk',
  "a disruption's history: by_actor in parts", JSON.stringify(dis.history));

// The names a page shows as the data has them (shops, items, warehouses, suppliers,
// carriers, notes, places, people), read as the signed-in page would.
async function names(page) {
  return page.evaluate(async () => {
    const get = async (p) => (await fetch('/api/v1' + p)).json();
    const all = async (p, key) => {
      const out = [];
      let cursor = null;
      do {
        const r = await get(p + (p.includes('?') ? '&' : '?') + 'limit=1000' + (cursor ? '&cursor=' + cursor : ''));
        out.push(...r[key]);
        cursor = r.next_cursor;
      } while (cursor);
      return out;
    };
    const me = await get('/me');
    const out = [me.name, me.org.name];
    for (const s of (await get('/shops')).shops) out.push(s.name, s.id);
    for (const k of await all('/skus', 'skus')) out.push(k.name, k.category);
    for (const w of await all('/stock', 'stock')) out.push(w.warehouse_name);
    for (const p of await all('/plans', 'plan')) out.push(p.supplier_name);
    const channels = (await get('/channels')).channels;
    const countries = new Set();
    for (const c of channels) { out.push(c.carrier, c.channel); for (const x of c.to || []) countries.add(x); }
    for (const d of (await get('/disruptions')).disruptions) out.push(d.note);
    for (const a of await all('/actions', 'actions')) out.push(a.decision_note, a.target_name);
    for (const cc of countries) { // places iso-codes has no Chinese name for keep their own
      for (const r of (await get('/regions?locale=zh-CN&country=' + cc)).regions) out.push(r.name);
    }
    return out;
  });
}

// ---- every page in Chinese: no English sentence from the server, no raw code
{
  const page = await newPage({ lang: 'zh-CN' });
  await signIn(page, 'words-op');
  const known = [...await names(page), 'ops desk']; // and the token's label
  const late = json(['messages', 'list', '--kind', 'late_shipment', '--limit', '1'])[0];
  const views = ['today', 'messages?state=planned', 'messages?state=held', 'disruptions', 'disruptions/' + dis.id,
    'health', 'health/shop-003', 'stock', 'stock/' + encodeURIComponent(act.target), 'orders',
    'orders/' + encodeURIComponent(late.order) + '?shop=' + late.shop, 'logistics', 'watch', 'stock/SKU-00003'];
  for (const v of views) {
    await open(page, v);
    if (v.startsWith('messages')) { // a message open beside the list
      await page.click('.row-open');
      await page.waitForSelector('#message-preview');
    }
    const left = await foreignWords(page, known, ALLOWED);
    const raw = await rawKeys(page, ['app', 'nav', 'common', 'words', 'watch', 'stock', 'today', 'disruptions', 'messages', 'dash']);
    ok(page.problems.length === 0 && left.length === 0 && raw.length === 0,
      `zh-CN ${v}: in Chinese (names and codes aside), no console error, no failed request`,
      ...page.problems, 'English: ' + left.join(' | '), raw.join(' '));
  }
  const alerts = await page.textContent('#sku-alerts').catch(() => '');
  ok(/需要补货/.test(alerts) && /备用供应商/.test(alerts), "zh-CN: a SKU's alerts in words (reorder from the backup supplier)", alerts);
  await open(page, 'stock/' + encodeURIComponent(act.target));
  const row = await page.textContent('tr.action-applied');
  ok(row.includes('API 令牌“ops desk”') && !row.includes("API token 'ops desk'"), 'zh-CN: the action says which token approved it, in words', row);
  await open(page, 'disruptions/' + dis.id);
  const hist = await page.textContent('#view');
  ok(hist.includes('API 令牌“ops desk”'), "zh-CN: the disruption's history names the token in words", hist.slice(-300));
  await open(page, 'today');
  const why = await page.$$eval('#view table tbody tr', (trs) => trs.map((tr) => tr.textContent).join('\n'));
  ok(!/cannot be avoided|disrupted until|no sellable stock/.test(why), "zh-CN Today: the actions' reasons are worded, not the server's English", why.slice(0, 300));
  await shot(page, 'today-words-zh-CN-1280');
  // an error the server words in English for API clients (400 invalid, field as_of), and
  // one with no field (a filter the page does not offer): said in Chinese from the code
  // and the field
  page.expectRefusal = (r) => r.status() === 400 && /\/api\/v1\/(stock\/summary|cycles)/.test(r.url());
  await open(page, 'stock?as_of=nonsense');
  const bad = await page.textContent('#view [role="alert"]').catch(() => '');
  const leftBad = await foreignWords(page, known, ALLOWED);
  // (the browser logs the expected 400 on the console itself: set aside)
  const probs = page.problems.filter((x) => !/status of 400 \(Bad Request\)/.test(x));
  ok(bad.includes('“截至日期”的值无效') && leftBad.length === 0 && probs.length === 0,
    'zh-CN: a refused as_of is said in Chinese from its code and field', bad, leftBad.join(' | '), ...probs);
  const en = await page.evaluate(async () => (await fetch('/api/v1/stock/summary?as_of=nonsense')).json());
  ok(en.error && en.error.code === 'invalid' && en.error.field === 'as_of' && /[a-z]{3}/.test(en.error.message),
    'the API still says it in English for its clients (code invalid, field as_of)', JSON.stringify(en));
  page.expectRefusal = null;
  await page.context().close();
}
{
  const page = await newPage({ lang: 'en' });
  await signIn(page, 'words-op');
  await open(page, 'stock/' + encodeURIComponent(act.target));
  const row = await page.textContent('tr.action-applied');
  ok(row.includes('API token ‘ops desk’'), 'en: the action says which token approved it', row);
  // Today's two stock-out counts, each with its horizon (the alerts' 30 days, the cycle's 14)
  await open(page, 'today');
  const card = await page.textContent('#today-stockouts');
  const cyc = await page.textContent('#today-sum-stockouts');
  ok(/within 30 days/.test(card) && /within 14 days/.test(cyc), "en Today: each stock-out count says its days", card, cyc);
  const api = await page.evaluate(async () => (await fetch('/api/v1/today')).json());
  const stock = await page.evaluate(async (at) => (await fetch('/api/v1/stock/summary?limit=1&as_of=' + encodeURIComponent(at))).json(), api.as_of);
  ok(api.stockouts.count === stock.counts.stockouts && card.includes(String(api.stockouts.count)),
    "Today's stock-outs are the Stock page's (one definition)", api.stockouts.count, stock.counts.stockouts);
  await page.context().close();
}

// ---- a marketplace's platform user, and Olist (a marketplace selling through its sellers),
// in Chinese
for (const [user, org, views] of [['words-platform', 'words-mall', ['today', 'disruptions', 'market', 'watch']],
  ['words-olist', 'olist', ['today', 'messages?state=planned', 'health', 'stock', 'orders', 'logistics']]]) {
  const page = await newPage({ lang: 'zh-CN' });
  await signIn(page, user, { org });
  const known = await names(page);
  if (org === 'words-mall') { // the merchants' names and their shops', as the marketplace reads them
    known.push(...await page.evaluate(async () => {
      const out = [];
      for (const m of (await (await fetch('/api/v1/merchants')).json()).merchants) {
        out.push(m.name);
        const r = await fetch('/api/v1/shops', { headers: { 'Ballast-Org': m.name } });
        for (const s of (await r.json()).shops) out.push(s.name, s.id);
      }
      return out;
    }));
  }
  for (const v of views) {
    await open(page, v);
    const left = await foreignWords(page, known, ALLOWED);
    ok(page.problems.length === 0 && left.length === 0, `zh-CN ${org} ${v}: in Chinese (names and codes aside), no console error`,
      ...page.problems, 'English: ' + left.join(' | '));
  }
  await page.context().close();
}

// ---- the language follows the user, not the browser
{
  const a = await newPage({ lang: 'en' });
  await signIn(a, 'words-lang');
  ok(await a.evaluate(async () => (await (await fetch('/api/v1/me')).json()).language) === null, 'a user who never chose: /me language null');
  await a.selectOption('#lang', 'zh-CN');
  await a.waitForFunction(() => document.querySelector('#nav-today').textContent === '今日');
  const kept = await a.evaluate(async () => (await (await fetch('/api/v1/me')).json()).language);
  ok(kept === 'zh-CN', 'the switch keeps the language for the user (GET /me)', kept);
  ok(a.problems.length === 0, 'switching: no console error, no failed request', ...a.problems);
  await a.context().close();
  const b = await newPage({ lang: 'en' }); // another browser, which remembers English
  await signIn(b, 'words-lang');
  ok(await b.textContent('#nav-today') === '今日' && await b.evaluate(() => document.documentElement.lang) === 'zh-CN',
    'in another browser the user gets the language they chose', await b.textContent('#nav-today'));
  await b.selectOption('#lang', 'en');
  await b.waitForFunction(() => document.querySelector('#nav-today').textContent === 'Today');
  const back = await b.evaluate(async () => (await (await fetch('/api/v1/me')).json()).language);
  ok(back === 'en', 'switching back is kept too', back);
  await b.context().close();
  const bearer = await call('GET', '/me');
  ok(bearer.status === 200 && bearer.body.language === null && bearer.body.via === 'bearer', "a bearer token's /me: no language", JSON.stringify(bearer.body));
  const refused = await call('PATCH', '/me', { language: 'zh-CN' });
  ok(refused.status === 422 && refused.body.error.code === 'not_a_session', 'a bearer token cannot keep a language: 422 not_a_session', JSON.stringify(refused));
  const audit = json(['audit', '--action', 'user.language', '--limit', '0']);
  ok(audit.length === 2 && audit[0].actor === 'words-lang', 'each change of language is in the audit log, by the user', JSON.stringify(audit).slice(0, 300));
}

// ---- the watch: a merchant's thresholds, both languages, both widths
for (const lang of ['en', 'zh-CN']) {
  for (const width of [1280, 375]) {
    const page = await newPage({ lang, width });
    await signIn(page, 'words-op');
    await open(page, 'watch');
    const nav = await page.$$eval('#nav-list a', (as) => as.map((a) => a.id));
    ok(nav.includes('nav-watch'), `${lang} ${width}: the watch is in the nav`, nav);
    const eu = await page.$eval('tr.watch-over', (tr) => tr.textContent).catch(() => '');
    ok(lang === 'en' ? /European Union/.test(eu) && /Registration due/.test(eu) : /欧盟/.test(eu) && /需办理登记/.test(eu),
      `${lang} ${width}: a place over its threshold, named and said in words`, eu.slice(0, 300));
    ok(/S\d{3}-\d{7}/.test(eu) && /2024/.test(eu), `${lang} ${width}: the day and the order that passed 100%`, eu.slice(0, 300));
    ok(await page.$('a[href^="https://eur-lex.europa.eu/"]') !== null, `${lang} ${width}: the EU rule's source, a link`);
    ok(await page.$('#view .chart canvas') !== null && await page.$('#view .chart-details table') !== null,
      `${lang} ${width}: the chart of thresholds, with its table`);
    const raw = await rawKeys(page, ['watch', 'common', 'dash', 'charts', 'words']);
    ok(page.problems.length === 0 && raw.length === 0, `${lang} ${width}: watch loads with no console error, no failed request, no raw key`,
      ...page.problems, raw.join(' '));
    await shot(page, `watch-${lang}-${width}`);
    await page.context().close();
  }
}

// ---- the watch: a marketplace's programme (Olist sells through its sellers' shops)
{
  const page = await newPage({ lang: 'zh-CN' });
  await signIn(page, 'words-olist', { org: 'olist' });
  await open(page, 'watch');
  const text = await page.textContent('#view');
  const prog = json(['--org', 'olist', 'programs', 'list'])[0];
  const lostNow = prog ? prog.lost : 0;
  ok(/罢工纾困计划/.test(text), 'olist zh-CN: the programme by its Chinese name', text.slice(0, 300));
  if (lostNow > 0) {
    ok(/所在地区不在（或已移出）计划覆盖的受影响地区名单/.test(text), 'olist zh-CN: why the merchants lost the benefits, in words', text.slice(-400));
  }
  bl(['--org', 'olist', 'programs', 'eval', '--as-of', '2018-05-25', '--tz', 'America/Sao_Paulo']);
  await open(page, 'watch');
  const members = await page.$$eval('#view .watch-program table tbody tr', (trs) => trs.map((tr) => tr.textContent));
  ok(members.length >= 25 && members.some((r) => /R\$2,000\.00/.test(r)), 'olist zh-CN: members with their share, the largest first', members.slice(0, 3));
  ok(await page.$('#view .watch-program .chart canvas') !== null, 'olist: the shares charted, with their table');
  const known = await names(page);
  for (const m of (await page.evaluate(async () => (await (await fetch('/api/v1/programs/strike-relief/members')).json()).members))) known.push(m.name);
  const left = await foreignWords(page, known, ALLOWED);
  ok(page.problems.length === 0 && left.length === 0, 'olist zh-CN watch: in Chinese, no console error', ...page.problems, left.join(' | '));
  await shot(page, 'watch-olist-zh-CN-1280');
  await page.context().close();
}

// ---- the watch: a platform user sees its programmes, not a merchant's thresholds
for (const lang of ['en', 'zh-CN']) {
  const page = await newPage({ lang });
  await signIn(page, 'words-platform', { org: 'words-mall' });
  await open(page, 'watch');
  const text = await page.textContent('#view');
  ok(await page.$('.watch-program') !== null && (lang === 'en' ? /resumption/i.test(text) : /复产/.test(text)) &&
    await page.$('tr.watch-over') === null, `platform ${lang}: its programme, no thresholds`, text.slice(0, 300));
  ok(page.problems.length === 0, `platform ${lang}: watch loads with no console error, no failed request`, ...page.problems);
  await shot(page, `watch-platform-${lang}-1280`);
  await page.context().close();
}

T.done();
