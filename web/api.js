// api.js - the dashboard's only way to the server: the documented /api/v1/ routes
// (docs/api.md), JSON in and out, signed in with the session cookie (HttpOnly: this
// script never sees the token) and the CSRF token the sign-in gave, sent on every change.
//
//   api.get('/skus', {limit: 50})        -> the answer's JSON
//   api.all('/skus', {}, 'skus')         -> every page's items (follows next_cursor)
//   api.post('/disruptions', body)       -> adds an Idempotency-Key to creating POSTs
//   api.patch(path, body), api.del(path)
// A failure throws ApiError {status, code, message, field}; the page shows it with
// ctx.t('error.' + code) when there is such a string, else the server's message.

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code || String(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = code || 'http_' + status;
    this.field = field || null;
  }
}

let csrf = null;          // from the sign-in or GET /me
let onUnauthorized = null; // set by app.js: back to the sign-in
let actingFor = null;      // a platform user acting on a merchant (Ballast-Org)

function url(path, query) {
  const u = new URL('/api/v1' + path, location.origin);
  if (query) {
    const q = query instanceof URLSearchParams ? query : Object.entries(query);
    for (const [k, v] of q) {
      if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
    }
  }
  return u.pathname + u.search;
}

function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return 'web-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function request(method, path, { query, body, idem, org } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (idem) headers['Idempotency-Key'] = idem;
  if (org || actingFor) headers['Ballast-Org'] = org || actingFor;
  let res;
  try {
    res = await fetch(url(path, query), {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!res.ok) {
    const e = (json && json.error) || {};
    const err = new ApiError(res.status, e.code, e.message, e.field);
    if (res.status === 401 && onUnauthorized && path !== '/sessions') onUnauthorized(err);
    throw err;
  }
  return json;
}

// The POSTs that create something take an Idempotency-Key (docs/api.md, "Conventions"):
// one made per call, so a retry of the same call by the browser creates nothing twice.
const CREATING = [/^\/disruptions$/, /^\/cycles$/, /^\/protections$/, /^\/compensate$/,
  /^\/refunds$/, /^\/actions\/[^/]+\/(approve|reject)$/, /^\/messages\/send$/];

export const api = {
  // opts.org: a platform user reads a merchant it governs (the Ballast-Org header)
  get: (path, query, opts = {}) => request('GET', path, { query, org: opts.org }),
  // body undefined: none (routes such as POST /messages/{id}/approve take none)
  post: (path, body, opts = {}) => request('POST', path, {
    body, query: opts.query,
    idem: opts.idempotencyKey || (CREATING.some((r) => r.test(path)) ? newKey() : undefined),
  }),
  patch: (path, body = {}) => request('PATCH', path, { body }),
  del: (path) => request('DELETE', path, {}),
  // Every item of a paged list: the answer's array under `key` (default: the first array
  // member of the answer), page after page until next_cursor is null; at most `max`.
  async all(path, query = {}, key = null, max = 100000) {
    const out = [];
    let cursor = null;
    do {
      const q = { ...query, limit: query.limit || 1000 };
      if (cursor) q.cursor = cursor;
      const page = await request('GET', path, { query: q });
      const k = key || Object.keys(page).find((n) => Array.isArray(page[n]));
      out.push(...(page[k] || []));
      cursor = page.next_cursor || null;
    } while (cursor && out.length < max);
    return out;
  },
  setCsrf(token) { csrf = token || null; },
  onUnauthorized(fn) { onUnauthorized = fn; },
  actAs(org) { actingFor = org || null; },
};
