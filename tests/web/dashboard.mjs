// The dashboard in a real browser (issue 17; docs/web.md, "Tests"): Debian's chromium,
// driven by playwright-core from npm, against a `ballast serve` this test starts on the
// demo store (scripts/demo.sh --no-serve). Checks:
// - every page of the nav loads with no console error and no failed request, as a viewer
//   and as an operator, in English and in Chinese, at 1280x800 and at 375 px wide
//   (a page whose module web/pages/ID.js does not exist on this branch is skipped);
//   screenshots of each under $BL_SHOTS (build/web-shots/);
// - sign-in (a wrong password is said in words), sign-out;
// - an operator declares a disruption with the region picker and sees its impact;
// - an operator approves a message, and it is approved in the store;
// - the language switch changes the words and is remembered;
// - a viewer sees no change buttons, and a forged change made with its cookie is refused
//   (403: without the CSRF token, and with it, for the role).
// Skipped (77) with a reason when chromium or playwright-core is missing. The harness (server,
// sign-in, a page watched for console errors and failed requests) is tests/weblib/harness.mjs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { start, SRC, PASSWORD } from '../weblib/harness.mjs';

const NAV = ['today', 'messages', 'disruptions', 'health', 'stock', 'orders', 'logistics', 'market', 'watch'];
const T = await start('ballast-web.');
const { ok, bl, newPage, ready, SHOTS } = T;
const signIn = (page, name, password = PASSWORD, org = '') => T.signIn(page, name, { password, org });

// (the strings themselves, both files' keys and placeholders and the plurals: i18n.mjs)

// ---- the store and the server
T.demo();
bl(['user', 'add', 'test-viewer', '--role', 'viewer', '--password-stdin'], PASSWORD + '\n');
bl(['user', 'add', 'test-operator', '--role', 'operator', '--password-stdin'], PASSWORD + '\n');
// a marketplace governing the demo seller, and its platform operator
bl(['--org', 'mall', 'init']);
bl(['org', 'govern', 'default', '--by', 'mall']);
bl(['--org', 'mall', 'user', 'add', 'test-platform', '--role', 'platform', '--password-stdin'], PASSWORD + '\n');
const BASE = await T.serve();

const pagesHere = NAV.filter((id) => existsSync(join(SRC, 'web/pages', id + '.js')));
for (const id of NAV.filter((x) => !pagesHere.includes(x))) console.log(`# page ${id}: no web/pages/${id}.js on this branch, skipped`);

// ---- sign-in: a wrong password, then each role
{
  const page = await newPage();
  await page.goto(BASE + '/');
  await ready(page, 'signin');
  await page.fill('#signin-name', 'test-viewer');
  await page.fill('#signin-password', 'not the password');
  page.expectRefusal = (r) => r.url().endsWith('/api/v1/sessions') && r.status() === 401;
  await page.click('#signin-submit');
  await page.waitForSelector('.signin .notice-error:not([hidden])');
  const text = await page.textContent('.signin .notice-error');
  ok(/not right/.test(text) && !/sign_in_failed/.test(text), 'a wrong password is said in words, not as a code', text);
  ok(page.problems.length === 0, 'the sign-in page: no console error, no failed request', ...page.problems);
  await page.context().close();
}

// ---- every page, each role, both languages, both widths
for (const [user, role] of [['test-operator', 'operator'], ['test-viewer', 'viewer']]) {
  for (const lang of ['en', 'zh-CN']) {
    for (const width of [1280, 375]) {
      const page = await newPage({ width, lang });
      await signIn(page, user);
      const navIds = await page.$$eval('#nav-list a', (as) => as.map((a) => a.id.replace(/^nav-/, '')));
      ok(JSON.stringify(navIds) === JSON.stringify(NAV.filter((x) => x !== 'market')),
        `${role} ${lang} ${width}: a merchant's nav has every page but the marketplace`, navIds);
      for (const id of pagesHere.filter((x) => navIds.includes(x))) {
        page.problems = [];
        await page.goto(BASE + '/#/' + id);
        await ready(page, id);
        await page.waitForLoadState('networkidle');
        const text = await page.textContent('#view');
        const raw = text.match(/\b[a-z]+(\.[a-z_]+)+\b/g) || [];
        ok(page.problems.length === 0 && !raw.some((k) => /^(app|nav|common|today|messages|disruptions|error|role|status|metric|rating|words|watch)\./.test(k)),
          `${role} ${lang} ${width}: ${id} loads with no console error, no failed request, no raw string key`,
          ...page.problems, raw.join(' '));
        if (role === 'operator' || id === 'today') {
          await page.screenshot({ path: join(SHOTS, `${id}-${lang}-${width}${role === 'viewer' ? '-viewer' : ''}.png`), fullPage: true });
        }
      }
      await page.context().close();
    }
  }
}

// ---- a marketplace's platform operator: the marketplace's pages, not a merchant's
{
  const page = await newPage();
  await signIn(page, 'test-platform', PASSWORD, 'mall');
  const navIds = await page.$$eval('#nav-list a', (as) => as.map((a) => a.id.replace(/^nav-/, '')));
  ok(navIds.includes('market') && !navIds.includes('messages') && !navIds.includes('stock'),
    "a platform user's nav: the marketplace, not a merchant's messages or stock", navIds);
  for (const id of pagesHere.filter((x) => navIds.includes(x))) {
    page.problems = [];
    await page.goto(BASE + '/#/' + id);
    await ready(page, id);
    await page.waitForLoadState('networkidle');
    ok(page.problems.length === 0, `platform: ${id} loads with no console error, no failed request`, ...page.problems);
    await page.screenshot({ path: join(SHOTS, `${id}-en-1280-platform.png`), fullPage: true });
  }
  const merchants = await page.textContent('#view');
  await page.goto(BASE + '/#/today');
  await ready(page, 'today');
  ok(/Merchants' shops/.test(await page.textContent('#view')) && /Coral Home, JP/.test(await page.textContent('#view')), "platform Today: the merchants' shops by name, the lowest score first", merchants.slice(0, 200));
  await page.context().close();
}

// ---- a viewer: nothing shown as doable, and a forged change is refused
{
  const page = await newPage();
  await signIn(page, 'test-viewer');
  await page.goto(BASE + '/#/messages?state=planned');
  await ready(page, 'messages');
  await page.click('.row-open');
  await page.waitForSelector('#message-preview');
  ok(await page.$('#approve-one') === null && await page.$('#reject-one') === null &&
     await page.$('.select-one') === null && await page.$('#approve-selected') === null,
  'a viewer: no approve, reject or select on Messages');
  await page.goto(BASE + '/#/disruptions');
  await ready(page, 'disruptions');
  ok(await page.$('#dis-new') === null, 'a viewer: no Declare on Disruptions');
  const first = await page.$('table a[href^="#/disruptions/"]');
  if (first) {
    await first.click();
    await page.waitForSelector('#impact .stats, #impact .notice', { timeout: 60000 });
    ok(await page.$('#dis-edit') === null && await page.$('#dis-lift') === null, 'a viewer: no Edit or Lift on a disruption');
  }
  const body = { region: 'CN-ZJ', scope: 'origin', kind: 'lockdown', from: '2024-11-10T00:00:00Z' };
  const forged = await page.evaluate(async (b) => {
    const r = await fetch('/api/v1/disruptions', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
    const me = await (await fetch('/api/v1/me')).json();
    const r2 = await fetch('/api/v1/disruptions', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: JSON.stringify(b) });
    return [r.status, (await r.json()).error.code, r2.status, (await r2.json()).error.code, me.role];
  }, body);
  ok(JSON.stringify(forged) === JSON.stringify([403, 'csrf_failed', 403, 'forbidden', 'viewer']),
    "a forged change with a viewer's cookie: 403 without the CSRF token, 403 for the role with it", forged);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'ballast_session');
  ok(session && session.httpOnly && session.sameSite === 'Strict', 'the session cookie is HttpOnly and SameSite=Strict', JSON.stringify(session));
  const res = await fetch(BASE + '/api/v1/disruptions', { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: 'ballast_session=' + session.value }, body: JSON.stringify(body) });
  ok(res.status === 403, 'the cookie replayed from elsewhere without the CSRF token: 403', res.status);
  const count = bl(['--format', 'csv', 'disruption', 'list']).split('\n').filter((l) => l.includes('CN-ZJ,origin,lockdown') && l.includes('2024-11-10')).length;
  ok(count === 0, 'nothing was declared by the viewer', count);
  await page.click('#sign-out');
  await ready(page, 'signin');
  const after = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  ok(after === 401, 'sign-out: the cookie no longer works', after);
  await page.context().close();
}

// ---- an operator declares a disruption and sees its impact
{
  const page = await newPage();
  await signIn(page, 'test-operator');
  await page.goto(BASE + '/#/disruptions');
  await ready(page, 'disruptions');
  await page.click('#dis-new');
  await page.waitForSelector('#dis-declare-form');
  await page.selectOption('#dis-country', 'CN');
  await page.waitForSelector('#dis-subdivision option[value="CN-GD"]', { state: 'attached' });
  const gd = await page.textContent('#dis-subdivision option[value="CN-GD"]');
  ok(/Guangdong/.test(gd), 'the region picker names provinces', gd);
  await page.selectOption('#dis-subdivision', 'CN-GD');
  await page.selectOption('#dis-kind', 'lockdown');
  await page.selectOption('#dis-scope', 'origin');
  await page.fill('#dis-from', '2024-11-10T00:00');
  await page.fill('#dis-note', 'browser test: Guangdong lockdown');
  await page.click('#dis-declare');
  await page.waitForSelector('#impact-held', { timeout: 60000 });
  await ready(page, 'disruptions');
  const held = Number((await page.textContent('#impact-held .stat')).replace(/\D/g, ''));
  const customers = Number((await page.textContent('#impact-customers .stat')).replace(/\D/g, ''));
  const title = await page.textContent('h1');
  ok(held > 0 && customers > 0, 'after declaring: its impact, orders held and customers to write to', held, customers);
  ok(/Guangdong \(CN-GD\)/.test(title), 'the disruption is named by its region', title);
  const listed = bl(['--format', 'csv', 'disruption', 'list']);
  ok(/CN-GD,origin,lockdown/.test(listed) && listed.includes('browser test'), 'it is in the store', listed.slice(-300));
  ok(page.problems.length === 0, 'declaring: no console error, no failed request', ...page.problems);
  await page.screenshot({ path: join(SHOTS, 'disruption-impact-en-1280.png'), fullPage: true });

  // ---- correct it, then lift it
  await page.click('#dis-edit');
  await page.waitForSelector('#dis-edit-form');
  await page.fill('#dis-note', 'browser test: Guangdong lockdown, extended to the ports');
  await page.click('#dis-save');
  await page.waitForFunction(() => document.querySelector('#dis-edit-form') === null &&
    document.documentElement.dataset.ready === '1' && /extended to the ports/.test(document.body.textContent), null, { timeout: 60000 });
  const hist = await page.textContent('#view');
  ok(/test-operator/.test(hist) && /note/.test(hist), 'edit: the note changed, and the history says who', hist.slice(-400));
  await page.click('#dis-lift');
  await page.waitForSelector('#lift-form');
  await page.fill('#lift-at', '2024-11-20T08:00');
  await page.click('#lift-confirm');
  await page.waitForFunction(() => document.querySelector('#dis-lift') === null && document.documentElement.dataset.ready === '1', null, { timeout: 60000 });
  const liftedText = await page.textContent('#view');
  ok(/lifted/.test(liftedText), 'lift: the disruption says it was lifted, and Lift is gone', liftedText.slice(0, 400));
  ok(page.problems.length === 0, 'editing and lifting: no console error, no failed request', ...page.problems);

  // ---- approve a message
  await page.goto(BASE + '/#/messages?state=planned');
  await ready(page, 'messages');
  const id = await page.$eval('.messages-table tbody tr', (tr) => tr.dataset.id);
  await page.click('.messages-table tbody tr .row-open');
  await page.waitForSelector('#approve-one');
  const mail = await page.textContent('.mail-body');
  ok(mail.length > 40, 'the preview shows the message as the buyer reads it', mail.slice(0, 80));
  await page.screenshot({ path: join(SHOTS, 'message-preview-en-1280.png'), fullPage: false });
  await page.click('#approve-one');
  await page.waitForSelector('#messages-status .notice');
  ok(await page.$('#messages-status .notice-ok') !== null, 'approving says so', await page.textContent('#messages-status'));
  const shown = bl(['--format', 'json', 'messages', 'show', id]);
  ok(/"state":\s*"approved"/.test(shown), `message ${id} is approved in the store`, shown.slice(0, 300));
  ok(page.problems.length === 0, 'approving: no console error, no failed request', ...page.problems);

  // ---- the language switch, remembered
  await page.goto(BASE + '/#/today');
  await ready(page, 'today');
  await page.selectOption('#lang', 'zh-CN');
  await page.waitForFunction(() => document.querySelector('#nav-today').textContent === '今日');
  await ready(page, 'today');
  ok(await page.evaluate(() => document.documentElement.lang) === 'zh-CN', 'the language switch: Chinese words, <html lang=zh-CN>');
  await page.reload();
  await ready(page, 'today');
  ok(await page.textContent('#nav-messages') === '消息', 'the language is remembered after a reload');
  ok(page.problems.length === 0, 'switching language: no console error', ...page.problems);
  await page.context().close();
}

T.done();
