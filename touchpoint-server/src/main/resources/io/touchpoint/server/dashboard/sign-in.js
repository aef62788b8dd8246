// Sign-in with the administrator token; the server answers with an HttpOnly session cookie.
import { api } from './api.js';
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
  clear(main, h('div', { class: 'sign-in-card panel' },
    h('p', { class: 'brand big' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Touchpoint'),
    h('h1', {}, 'Sign in to the dashboard'), form));
  token.focus();
}
