// Sign-in with an e-mail and password, with the administrator token (automation, the first start), or through the
// single sign-on provider when the server has one; the server answers with an HttpOnly session cookie.
import { api, get } from './api.js';
import { h, clear, field } from './ui.js';

/** Only this dashboard's own pages are places to go back to (no open redirect). */
function next() {
  const n = new URLSearchParams(location.search).get('next');
  return n && /^\/dashboard\/[a-z]+(\?[^#]*)?$/.test(n) ? n : '/dashboard/setup';
}

/** A form that posts {@code body()} to sign in; {@code invalid} is what a 401 means for it. */
function signInForm(fields, buttonId, check, body, invalid, message) {
  const submit = h('button', { type: 'submit', id: buttonId }, 'Sign in');
  const form = h('form', { class: 'sign-in-form', novalidate: true }, ...fields, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    const problem = check();
    if (problem) {
      message.textContent = problem;
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await api('POST', '/admin/v1/session', body());
      location.assign(next());
    } catch (err) {
      message.textContent = err.status === 401 ? invalid : err.message;
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  return form;
}

export function render(main) {
  const message = h('p', { class: 'form-error', role: 'alert', id: 'sign-in-error' });
  const [emailField, email] = field('E-mail', h('input', {
    type: 'email', name: 'email', id: 'email', autocomplete: 'username', required: true, spellcheck: 'false',
  }));
  const [passwordField, password] = field('Password', h('input', {
    type: 'password', name: 'password', id: 'password', autocomplete: 'current-password', required: true,
  }));
  const byPassword = signInForm([emailField, passwordField], 'sign-in-password',
    () => (!email.value.trim() ? (email.focus(), 'Enter your e-mail.') : !password.value ? (password.focus(), 'Enter your password.') : null),
    () => ({ email: email.value.trim(), password: password.value }),
    'That e-mail and password do not match a user.', message);

  const [tokenField, token] = field('Administrator token', h('input', {
    type: 'password', name: 'admin_token', id: 'admin-token', autocomplete: 'off', required: true,
    spellcheck: 'false',
  }), ['Printed when the server first started; ', h('code', {}, 'touchpoint admin-token reset'), ' prints a new one.']);
  const byToken = signInForm([tokenField], 'sign-in',
    () => (!token.value.trim() ? (token.focus(), 'Enter the administrator token.') : null),
    () => ({ admin_token: token.value.trim() }),
    'That token is not the administrator token.', message);

  document.body.classList.add('plain');
  const card = h('div', { class: 'sign-in-card panel' },
    h('p', { class: 'brand big' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Touchpoint'),
    h('h1', {}, 'Sign in to the dashboard'), message, byPassword,
    h('h2', { class: 'or' }, 'Or with the administrator token'), byToken);
  clear(main, card);
  email.focus();
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
