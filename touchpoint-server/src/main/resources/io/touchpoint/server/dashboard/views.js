// Saved views of a report page: the page's whole query string under a name, shared in the workspace, listed and
// applied here. Applying one loads the page with its query, so every control (those other parts of the page add
// included) reads its value from the URL as on any shared link.
import { get, post, del, qs } from './api.js';
import { h, clear, field, toast, formErrors, armed } from './ui.js';

/** The page's query string without the workspace: what a view keeps. */
export function currentQuery() {
  const u = new URLSearchParams(location.search);
  u.delete('ws');
  u.delete('view');
  return u.toString();
}

/**
 * The views bar of a page: a list of the workspace's views (choosing one applies it), Save as (with a name) and
 * Delete for the chosen one. {@code can.admin} decides whether others' views offer Delete (the server decides too).
 */
export function viewsBar({ ws, page, session, can }) {
  const me = session && session.user ? 'user:' + session.user.id : 'administrator';
  const chosen = h('select', { id: 'saved-view', 'aria-label': 'Saved view' }, h('option', { value: '' }, 'Saved views…'));
  const remove = h('button', { type: 'button', class: 'secondary small', id: 'delete-view', hidden: true }, 'Delete view');
  const name = h('input', { type: 'text', id: 'view-name', required: true, maxlength: '100', placeholder: 'e.g. Ad sets, linear',
    dataset: { param: 'name' } });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'views-bar', id: 'save-view-form' }, field('Saved views', chosen)[0], remove,
    field('Save this view as', name)[0], h('button', { type: 'submit', class: 'secondary', id: 'save-view' }, 'Save view'), message);
  const errors = formErrors(form, message);
  let views = [];

  const fill = async (selectId) => {
    try {
      views = (await get('/api/v1/saved-views' + qs({ workspace: ws, page }))).data;
    } catch (e) {
      clear(message, e.message);
      return;
    }
    clear(chosen, h('option', { value: '' }, views.length ? 'Saved views…' : 'No saved views yet'),
      views.map((v) => h('option', { value: v.id, selected: v.id === selectId }, v.name)));
    showDelete();
  };
  const showDelete = () => {
    const v = views.find((x) => x.id === chosen.value);
    remove.hidden = !v || !(can.admin || v.created_by === me);
  };
  chosen.addEventListener('change', () => {
    const v = views.find((x) => x.id === chosen.value);
    showDelete();
    if (v) location.assign(location.pathname + '?' + new URLSearchParams({ ws, view: v.id }).toString() + (v.query ? '&' + v.query : ''));
  });
  remove.addEventListener('click', async () => {
    if (!armed(remove, 'Delete: sure?')) return;
    try {
      await del(`/api/v1/saved-views/${encodeURIComponent(chosen.value)}` + qs({ workspace: ws }));
      toast('View deleted');
      await fill('');
    } catch (e) {
      clear(message, e.message);
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!errors.check(() => (name.value && !name.value.trim() ? [{ param: 'name', message: 'Name the view.' }] : []))) return;
    try {
      const saved = (await post('/api/v1/saved-views' + qs({ workspace: ws }), { page, name: name.value.trim(), query: currentQuery() })).data;
      name.value = '';
      toast(`Saved “${saved.name}”`);
      await fill(saved.id);
    } catch (err) {
      if (!errors.server(err)) clear(message, err.message);
    }
  });
  fill(new URLSearchParams(location.search).get('view') || '');
  return form;
}
