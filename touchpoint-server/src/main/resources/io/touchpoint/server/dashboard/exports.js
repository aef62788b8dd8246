// Scheduled exports, for an admin of the workspace: a report or the day's events log as CSV, every day at an hour,
// into a folder under the server's export root or to a signed webhook (docs/EXPORTS.md). A generated webhook secret
// is shown once, when the schedule is made; a run can be started now.
import { get, post, del } from './api.js';
import { h, clear, field, select, panel, empty, codeBlock, toast, badge, armed, noWorkspace, time } from './ui.js';

const GROUPS = ['channel', 'source', 'medium', 'campaign', 'content', 'term', 'platform'];
const MODELS = ['last_touch', 'first_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'markov', 'shapley'];

export async function render(ctx) {
  const { main, workspace } = ctx;
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Exports'),
    h('p', { class: 'muted' }, 'A report or the events log as CSV, every day, into a folder on the server or to your BI tool\'s webhook.')));
  if (!workspace) {
    main.append(noWorkspace());
    return;
  }
  const base = `/admin/v1/workspaces/${encodeURIComponent(workspace.id)}/exports`;
  const zone = workspace.settings && workspace.settings.time_zone;
  const list = h('div', { id: 'exports' });
  const secretBox = h('div', { id: 'export-secret' });

  const refresh = async () => {
    const schedules = (await get(base)).data;
    if (!schedules.length) {
      clear(list, empty('No exports yet', 'Add one above: it runs every day at its hour and can be run now.'));
      return;
    }
    clear(list, h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'What', 'Where', 'Hour', 'Last run', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, schedules.map(row)))));
  };

  const row = (s) => {
    const run = h('button', { type: 'button', class: 'secondary small', dataset: { run: s.id } }, 'Run now');
    run.addEventListener('click', async () => {
      run.disabled = true;
      try {
        const r = await post(`${base}/${encodeURIComponent(s.id)}/run`);
        toast(r.status === 'ok' ? `Exported ${r.day}` : `Export of ${r.day} failed: ${r.message}`, r.status === 'ok' ? 'ok' : 'bad');
        await refresh();
      } catch (e) {
        toast(e.message, 'bad');
        run.disabled = false;
      }
    });
    const remove = h('button', { type: 'button', class: 'danger small' }, 'Remove');
    remove.addEventListener('click', async () => {
      if (!armed(remove, 'Confirm remove')) return;
      try {
        await del(`${base}/${encodeURIComponent(s.id)}`);
        await refresh();
      } catch (e) {
        toast(e.message, 'bad');
      }
    });
    const what = s.what === 'events_log' ? 'Events log'
      : `Attribution by ${s.params.group_by || 'channel'}${s.params.model ? ` (${s.params.model})` : ''}`;
    const last = s.last_run
      ? h('span', {}, badge(s.last_run.status, s.last_run.status === 'ok' ? 'accepted' : 'rejected'), ' ', s.last_run.day,
        h('span', { class: 'muted small', title: time(s.last_run.at, zone) }, ' ' + (s.last_run.message || '')))
      : h('span', { class: 'muted' }, '—');
    return h('tr', { dataset: { id: s.id, name: s.name } }, h('td', {}, s.name), h('td', {}, what),
      h('td', {}, s.folder ? `Folder ${s.folder}` : s.webhook_url), h('td', {}, String(s.hour).padStart(2, '0') + ':00'),
      h('td', { class: 'last-run' }, last), h('td', {}, h('div', { class: 'row-actions' }, run, remove)));
  };

  main.append(panel('Add a daily export', form(base, zone, secretBox, refresh)), secretBox, panel('Exports', list));
  await refresh();
}

/** The form that makes a schedule; fields that do not apply to the choices made are hidden. */
function form(base, zone, secretBox, refresh) {
  const [nameField, name] = field('Name', h('input', { id: 'export-name', required: true, maxlength: 100 }));
  const what = select('what', [['attribution_report', 'Attribution report'], ['events_log', 'Events log of the day']], 'attribution_report');
  what.id = 'export-what';
  const groupBy = select('group_by', GROUPS.map((g) => [g, g]), 'campaign');
  groupBy.id = 'export-group-by';
  const model = select('model', MODELS.map((m) => [m, m]), 'last_touch');
  model.id = 'export-model';
  const reportFields = h('div', { class: 'stack' }, field('Group by', groupBy)[0], field('Model', model)[0]);
  const where = select('where', [['folder', 'A folder on the server'], ['webhook', 'A webhook (signed)']], 'folder');
  where.id = 'export-where';
  const [folderField, folder] = field('Folder', h('input', { id: 'export-folder', placeholder: 'bi/daily' }),
    'Under the server\'s export root (exports.root); names of letters, digits, . - _');
  const [urlField, url] = field('Webhook URL', h('input', { id: 'export-url', type: 'url', placeholder: 'https://' }),
    'Signed with Touchpoint-Signature; the secret is shown once, after saving.');
  const [hourField, hour] = field('Hour', h('input', { id: 'export-hour', type: 'number', min: 0, max: 23, value: 6, required: true }),
    `Every day at this hour${zone ? ` (${zone})` : ''}, the day before is exported.`);
  const sync = () => {
    reportFields.hidden = what.value !== 'attribution_report';
    folderField.hidden = where.value !== 'folder';
    urlField.hidden = where.value !== 'webhook';
  };
  what.addEventListener('change', sync);
  where.addEventListener('change', sync);
  sync();
  const f = h('form', { class: 'stack', id: 'export-form' }, nameField, field('What', what)[0], reportFields,
    field('Where', where)[0], folderField, urlField, hourField, h('button', { type: 'submit', id: 'export-save' }, 'Add export'));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { name: name.value.trim(), what: what.value, hour: Number(hour.value) };
    if (what.value === 'attribution_report') body.params = { group_by: groupBy.value, model: model.value };
    if (where.value === 'folder') body.folder = folder.value.trim();
    else body.webhook_url = url.value.trim();
    try {
      const made = await post(base, body);
      clear(secretBox, made.webhook_secret ? panel('Webhook secret for ' + made.name,
        h('p', {}, 'Give it to the receiver to check signatures; it is not shown again.'),
        codeBlock(made.webhook_secret, 'Copy secret', 'export-secret-value')) : null);
      name.value = '';
      toast(`Export ${made.name} added`);
      await refresh();
    } catch (err) {
      toast(err.message, 'bad');
    }
  });
  return f;
}
