// Sign-in with the administrator token, or through the single sign-on provider when the server has one; either way
// the server answers with an HttpOnly session cookie.
import { api, get } from './api.js';
import { h, clear, field } from './ui.js';

/** Only this dashboard's own pages are places to go back to (no open redirect). */
function next() {
  const n = new URLSearchParams(location.search).get('next');
  return n && /^\/dashboard\/[a-z]+(\?[^#]*)?$/.test(n) ? n : '/dashboard/setup';
}

export function render(main) {
  const [tokenField, token] = field('Administrator token', h('input', {
    type: 'password', name: 'admin_token', id: 'admin-token', autocomplete: 'current-password', required: true,
    spellcheck: 'false',
  }), ['Printed when the server first started; ', h('code', {}, 'touchpoint admin-token reset'), ' prints a new one.']);
  const message = h('p', { class: 'form-error', role: 'alert', id: 'sign-in-error' });
  const submit = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
  // a username for password managers (and Chromium's accessibility check); the token alone signs in
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', value: 'administrator', hidden: true });
  const form = h('form', { class: 'sign-in-form', novalidate: true }, user, tokenField, message, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    if (!token.value.trim()) {
      message.textContent = 'Enter the administrator token.';
      token.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await api('POST', '/admin/v1/session', { admin_token: token.value.trim() });
      location.assign(next());
    } catch (err) {
      message.textContent = err.status === 401 ? 'That token is not the administrator token.' : err.message;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      token.select();
    }
  });
  document.body.classList.add('plain');
  const card = h('div', { class: 'sign-in-card panel' },
    h('p', { class: 'brand big' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Touchpoint'),
    h('h1', {}, 'Sign in to the dashboard'), form);
  clear(main, card);
  token.focus();
  offerSingleSignOn(card);
}

/** The provider's button, below the token form, when the server has single sign-on; nothing otherwise. */
async function offerSingleSignOn(card) {
  let sso;
  try {
    sso = await get('/admin/v1/sso');
  } catch {
    return; // the token form still works
  }
  if (!sso.enabled) return;
  card.append(h('p', { class: 'sign-in-or' }, 'or'),
    h('a', { class: 'button secondary sso', id: 'sso-sign-in', href: sso.start_url + '?next=' + encodeURIComponent(next()) },
      'Sign in with ' + sso.button_label));
}
