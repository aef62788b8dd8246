// Users, for an owner of every workspace: invite (the one-time link is shown here to pass on; no mail is sent),
// change a role or workspaces, send a reset link, remove.
import { get, post, patch, del } from './api.js';
import { h, clear, field, select, panel, empty, codeBlock, toast, badge, armed, formErrors } from './ui.js';

const ROLES = [['analyst', 'Analyst: reads'], ['admin', 'Admin: changes the workspace'], ['owner', 'Owner: also users']];

export async function render(ctx) {
  const { main, workspaces } = ctx;
  const names = new Map(workspaces.map((w) => [w.id, w.name]));
  const list = h('div', { id: 'users' });
  const link = h('div', { id: 'user-link' });
  const showLink = (title, url) => clear(link, panel(title,
    h('p', {}, 'Send this link to them yourself; it works once, for 7 days.'), codeBlock(url, 'Copy link', 'link-url')));

  const refresh = async () => {
    const users = (await get('/admin/v1/users')).data;
    if (!users.length) {
      clear(list, empty('No users yet', 'Invite the people who use this dashboard; the administrator token stays for automation.'));
      return;
    }
    clear(list, h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['E-mail', 'Role', 'Workspaces', 'Status', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, users.map((u) => row(u))))));
  };

  const row = (u) => {
    const role = select('role', ROLES.map(([v]) => [v, v]), u.role);
    role.setAttribute('aria-label', `Role of ${u.email}`);
    role.addEventListener('change', async () => {
      try {
        await patch(`/admin/v1/users/${encodeURIComponent(u.id)}`, { role: role.value });
        toast(`${u.email} is now ${role.value}`);
      } catch (e) {
        toast(e.message, 'bad');
        role.value = u.role;
      }
    });
    const reset = h('button', { type: 'button', class: 'secondary small' }, 'Reset password');
    reset.addEventListener('click', async () => {
      try {
        const r = await patch(`/admin/v1/users/${encodeURIComponent(u.id)}`, { reset_password: true });
        showLink(`Reset link for ${u.email}`, r.reset_url);
      } catch (e) {
        toast(e.message, 'bad');
      }
    });
    const remove = h('button', { type: 'button', class: 'danger small' }, 'Remove');
    remove.addEventListener('click', async () => {
      if (!armed(remove, 'Confirm remove')) return;
      try {
        await del(`/admin/v1/users/${encodeURIComponent(u.id)}`);
        await refresh();
      } catch (e) {
        toast(e.message, 'bad');
      }
    });
    const where = u.workspaces === 'all' ? 'All workspaces' : u.workspaces.map((id) => names.get(id) || id).join(', ');
    return h('tr', { dataset: { email: u.email } }, h('td', {}, u.email), h('td', {}, role), h('td', {}, where),
      h('td', {}, badge(u.status, u.status === 'active' ? 'ok' : 'plain')),
      h('td', {}, h('div', { class: 'row-actions' }, reset, remove)));
  };

  const [emailField, email] = field('E-mail', h('input', { type: 'email', id: 'invite-email', required: true }));
  const role = select('role', ROLES, 'analyst');
  role.id = 'invite-role';
  const all = h('input', { type: 'checkbox', id: 'invite-all' });
  const boxes = workspaces.map((w) => h('input', { type: 'checkbox', value: w.id, id: 'invite-ws-' + w.id,
    checked: ctx.workspace && w.id === ctx.workspace.id }));
  all.addEventListener('change', () => boxes.forEach((b) => { b.disabled = all.checked; }));
  const choices = h('fieldset', { class: 'checks', dataset: { param: 'workspaces' } }, h('legend', {}, 'Workspaces'),
    h('label', {}, all, ' All workspaces, those created later too'),
    boxes.map((b) => h('label', {}, b, ' ' + names.get(b.value))));
  const form = h('form', { class: 'stack', id: 'invite-form' }, emailField, field('Role', role)[0], choices,
    h('button', { type: 'submit', id: 'invite' }, 'Invite'));
  const errors = formErrors(form, null, { email: 'invite-email', role: 'invite-role' });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = all.checked ? 'all' : boxes.filter((b) => b.checked).map((b) => b.value);
    if (!errors.check(() => (chosen.length ? [] : [{ param: 'workspaces', message: 'Choose at least one workspace.' }]))) return;
    try {
      const u = await post('/admin/v1/users', { email: email.value.trim(), role: role.value, workspaces: chosen });
      showLink(`Invitation for ${u.email}`, u.invite_url);
      email.value = '';
      await refresh();
    } catch (err) {
      if (!errors.server(err)) toast(err.message, 'bad');
    }
  });

  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Users'),
    h('p', { class: 'muted' }, 'Who signs in to this dashboard, and what each may do.')),
    panel('Invite someone', form), link, panel('Users', list));
  await refresh();
}
