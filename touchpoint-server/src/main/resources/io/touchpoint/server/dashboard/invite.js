// An invitation or reset link: the person chooses a password, then signs in with it. The link's token is the
// page's last path segment and goes only to POST /admin/v1/invites/{token}.
import { api } from './api.js';
import { h, clear, field } from './ui.js';

export function render(main) {
  const token = decodeURIComponent(location.pathname.slice(location.pathname.lastIndexOf('/') + 1));
  const message = h('p', { class: 'form-error', role: 'alert', id: 'invite-error' });
  const [passwordField, password] = field('New password', h('input', {
    type: 'password', name: 'new-password', id: 'new-password', autocomplete: 'new-password', required: true, minlength: '12',
  }), 'At least 12 characters.');
  const [repeatField, repeat] = field('The same again', h('input', {
    type: 'password', name: 'repeat-password', id: 'repeat-password', autocomplete: 'new-password', required: true,
  }));
  const submit = h('button', { type: 'submit', id: 'choose-password' }, 'Choose password');
  const form = h('form', { class: 'sign-in-form', novalidate: true }, passwordField, repeatField, message, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    if (password.value.length < 12) {
      message.textContent = 'A password needs at least 12 characters.';
      password.focus();
      return;
    }
    if (password.value !== repeat.value) {
      message.textContent = 'The two passwords differ.';
      repeat.focus();
      return;
    }
    submit.disabled = true;
    try {
      const user = await api('POST', `/admin/v1/invites/${encodeURIComponent(token)}`, { password: password.value });
      await api('POST', '/admin/v1/session', { email: user.email, password: password.value });
      location.assign('/dashboard');
    } catch (err) {
      message.textContent = err.message;
      submit.disabled = false;
    }
  });
  document.body.classList.add('plain');
  clear(main, h('div', { class: 'sign-in-card panel' },
    h('p', { class: 'brand big' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Touchpoint'),
    h('h1', {}, 'Choose your password'), form));
  password.focus();
}
