// The dashboard's only way to the server: the public JSON APIs, with the session cookie and, on every change,
// the session's CSRF token.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered ${status}.`);
    this.status = status;
    this.body = body;
    this.code = body && body.error ? body.error.code : null;
  }
}

export function setCsrf(token) {
  csrfToken = token;
}

/** The session, or null when signed out. */
export async function session() {
  const r = await fetch('/admin/v1/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (r.status === 401) return null;
  if (!r.ok) throw new ApiError(r.status, await body(r));
  const s = await r.json();
  setCsrf(s.csrf_token);
  return s;
}

async function body(r) {
  const text = await r.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** Calls the API; a lost session sends the page to sign-in. */
export async function api(method, path, data, { raw = false } = {}) {
  const headers = { Accept: raw ? '*/*' : 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken || '';
  const init = { method, headers, credentials: 'same-origin' };
  if (data !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(data);
  }
  const r = await fetch(path, init);
  if (r.status === 401 && !path.startsWith('/admin/v1/session')) {
    location.assign('/sign-in?next=' + encodeURIComponent(location.pathname + location.search));
    throw new ApiError(401, { message: 'Your session ended; sign in again.' });
  }
  if (!r.ok) throw new ApiError(r.status, await body(r));
  if (raw) return r;
  return r.status === 204 ? null : body(r);
}

export const get = (path) => api('GET', path);
export const post = (path, data) => api('POST', path, data === undefined ? {} : data);
export const put = (path, data) => api('PUT', path, data);
export const patch = (path, data) => api('PATCH', path, data);
export const del = (path) => api('DELETE', path);

/** A query string from an object, leaving out empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}
