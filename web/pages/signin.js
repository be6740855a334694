// pages/signin.js - signing in: a user's name and password (and organisation), or an API
// token; either sets the HttpOnly session cookie (POST /api/v1/sessions with cookie: true).
import { h, clear, errorText } from '../ui.js';

export default {
  id: 'signin',
  title: 'signin.title',
  async render(el, ctx) {
    const { t, api } = ctx;
    let withToken = false;
    const msg = h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
    const field = (id, label, attrs) => h('div', { class: 'field' },
      h('label', { for: id }, label), h('input', { id, name: id, ...attrs }));
    const userFields = h('div', {},
      field('signin-name', t('signin.name'), { autocomplete: 'username', required: true }),
      field('signin-password', t('signin.password'),
        { type: 'password', autocomplete: 'current-password', required: true }),
      field('signin-org', t('signin.org'), { autocomplete: 'organization', placeholder: 'default' }));
    const tokenFields = h('div', { hidden: true },
      field('signin-token', t('signin.token'), { type: 'password', autocomplete: 'off' }),
      h('p', { class: 'hint' }, t('signin.token_hint')));
    const toggle = h('button', { type: 'button', class: 'btn btn-link', id: 'signin-toggle' },
      t('signin.use_token'));
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'signin-submit' },
      t('signin.submit'));
    toggle.addEventListener('click', () => {
      withToken = !withToken;
      userFields.hidden = withToken;
      tokenFields.hidden = !withToken;
      el.querySelector('#signin-name').required = !withToken;
      el.querySelector('#signin-password').required = !withToken;
      el.querySelector('#signin-token').required = withToken;
      toggle.textContent = withToken ? t('signin.use_password') : t('signin.use_token');
    });
    const form = h('form', { class: 'signin-form', novalidate: false },
      h('h1', {}, t('signin.title')), h('p', { class: 'lede' }, t('signin.lede')),
      msg, userFields, tokenFields, h('div', { class: 'actions' }, submit, toggle));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      msg.hidden = true;
      submit.disabled = true;
      const v = (id) => el.querySelector('#' + id).value.trim();
      const body = withToken ? { token: v('signin-token'), cookie: true }
        : { name: v('signin-name'), password: el.querySelector('#signin-password').value,
          cookie: true, ...(v('signin-org') ? { org: v('signin-org') } : {}) };
      try {
        const res = await api.post('/sessions', body);
        api.setCsrf(res.csrf_token);
        await ctx.signedIn();
      } catch (err) {
        clear(msg, errorText(err, t, ctx.has));
        msg.hidden = false;
        submit.disabled = false;
      }
    });
    clear(el, h('div', { class: 'signin' }, form));
  },
};
