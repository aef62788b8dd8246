// The audit log: who changed what, when and from where, newest first; filters and older pages. Times are shown,
// and the From and To filters read, in the current workspace's time zone, as on the events log.
import { get, qs } from './api.js';
import { h, clear, field, select, panel, empty, errorBox, loading, badge, time, zonedToIso } from './ui.js';
import { timePreset } from './period.js';

const PAGE = 50;
// the actions the server records, for the filter's suggestions (a family such as destination.* works too)
const ACTIONS = ['workspace.created', 'token.*', 'token.created', 'token.revoked', 'funnel.*', 'settings.changed',
  'ad_spend.imported', 'test_event.sent', 'destination.*', 'set_aside.*', 'erasure.requested', 'profile.unmerged',
  'report.recomputed', 'view.*', 'export.*', 'session.*', 'session.sign_in_failed'];

export async function render(ctx) {
  const { main, workspace, workspaces } = ctx;
  const tz = (workspace && workspace.settings && workspace.settings.time_zone) || 'UTC';
  const names = new Map(workspaces.map((w) => [w.id, w.name]));
  const filters = {
    action: h('input', { type: 'search', id: 'audit-action', list: 'audit-actions', spellcheck: 'false', placeholder: 'destination.*' }),
    actor: select('actor', [['', 'Anyone'], ['administrator', 'Administrator'], ['token', 'API tokens'], ['user', 'Users']], ''),
    workspace: select('workspace', [['', 'All workspaces'], ...workspaces.map((w) => [w.id, w.name])], ''),
    from: h('input', { type: 'datetime-local', id: 'audit-from', step: '1' }),
    to: h('input', { type: 'datetime-local', id: 'audit-to', step: '1' }),
  };
  filters.actor.id = 'audit-actor';
  filters.workspace.id = 'audit-workspace';
  const form = h('form', { class: 'filters', role: 'search' },
    field('Action', filters.action)[0], field('Who', filters.actor)[0], field('Workspace', filters.workspace)[0],
    timePreset(filters.from, filters.to, tz), field(`From (${tz})`, filters.from)[0], field(`To (${tz})`, filters.to)[0],
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit' }, 'Search'),
      h('button', { type: 'reset', class: 'secondary' }, 'Clear')),
    h('datalist', { id: 'audit-actions' }, ACTIONS.map((a) => h('option', { value: a }))));
  const results = h('div', { id: 'audit' }, loading());
  const more = h('button', { type: 'button', class: 'secondary', id: 'audit-more', hidden: true }, 'Load older');
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Audit log')),
    h('p', { class: 'muted' }, 'Who changed what, when and from where: admin changes, erasures, exports and sign-ins. '
      + 'Secrets are never recorded; a change names the fields it set.'),
    panel(null, form), results, more);

  const rows = [];
  let cursor = null;
  let generation = 0; // bumped by each search, so an answer for old filters is dropped

  const params = () => {
    const iso = (v) => (v ? zonedToIso(v, tz) : '');
    return { action: filters.action.value.trim(), actor: filters.actor.value, workspace: filters.workspace.value,
      from: iso(filters.from.value), to: iso(filters.to.value) };
  };

  const draw = () => {
    if (!rows.length) {
      clear(results, empty('Nothing recorded here', 'Widen the time range or clear a filter.'));
      return;
    }
    clear(results, h('div', { class: 'table-wrap' }, h('table', { class: 'log audit-table' },
      h('caption', { class: 'sr-only' }, 'Audit log, newest first'),
      h('thead', {}, h('tr', {}, [`Time (${tz})`, 'Action', 'Who', 'Workspace', 'Target', 'From', 'Detail']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map(row)))));
  };

  const row = (e) => h('tr', { dataset: { action: e.action, id: String(e.id) } },
    h('td', { class: 'when', title: e.at }, h('time', { datetime: e.at }, time(e.at, tz))),
    h('td', {}, badge(e.action, e.action.endsWith('failed') ? 'rejected' : 'plain')),
    h('td', {}, e.actor.kind === 'administrator' ? 'Administrator' : e.actor.label || e.actor.id,
      h('div', { class: 'muted small' }, e.actor.kind === 'administrator' ? e.actor.label : `${e.actor.kind} ${e.actor.id}`)),
    h('td', {}, e.workspace_id ? names.get(e.workspace_id) || e.workspace_id : '—'),
    h('td', {}, e.target ? [e.target.kind, ' ', h('code', { class: 'rid' }, e.target.id || '')] : '—'),
    h('td', {}, e.client_address || '—', e.request_id ? h('div', {}, h('code', { class: 'rid' }, e.request_id)) : null),
    h('td', { class: 'wrap detail' }, detail(e.detail)));

  const load = async (fresh) => {
    const asked = fresh ? ++generation : generation;
    const page = await get('/admin/v1/audit-log' + qs({ ...params(), limit: PAGE, cursor: fresh ? null : cursor }));
    if (asked !== generation) return;
    if (fresh) rows.length = 0;
    rows.push(...page.data);
    cursor = page.next_cursor;
    more.hidden = !cursor;
    draw();
  };

  const search = async () => {
    clear(results, loading());
    try {
      await load(true);
    } catch (e) {
      clear(results, errorBox(e, search));
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    search();
  });
  form.addEventListener('reset', () => setTimeout(search));
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await load(false);
    } catch (e) {
      results.append(errorBox(e));
    } finally {
      more.disabled = false;
    }
  });
  await search();
}

/** The detail as short "key: value" lines; the server keeps no secret in it. */
function detail(d) {
  const entries = Object.entries(d || {});
  if (!entries.length) return '—';
  return h('ul', {}, entries.map(([k, v]) =>
    h('li', {}, h('span', { class: 'muted' }, k + ': '), Array.isArray(v) ? v.join(', ') : String(v))));
}
