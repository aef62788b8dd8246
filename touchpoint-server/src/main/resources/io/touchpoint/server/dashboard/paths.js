// Conversion paths: the most common sequences of channels (or campaigns, sources, platforms) conversions took, with
// their conversions, revenue, days and touchpoints to convert.
import { get, qs } from './api.js';
import { h, clear, field, select, panel, empty, errorBox, loading, num, money, time, noWorkspace } from './ui.js';
import { rangeInputs, stat } from './report-parts.js';

const GROUPS = [['channel', 'Channel'], ['campaign', 'Campaign'], ['source', 'Source'], ['platform', 'Platform']];

export async function render(ctx) {
  const { main, workspace } = ctx;
  if (!workspace) {
    main.append(noWorkspace());
    return;
  }
  const ws = workspace.id;
  const url = new URLSearchParams(location.search);
  const range = rangeInputs(workspace, url);
  const groupBy = select('group_by', GROUPS, url.get('group_by') || 'channel');
  groupBy.id = 'paths-group-by';
  const eventName = h('input', { type: 'search', id: 'paths-event-name', value: url.get('event_name') || '',
    placeholder: 'all conversions' });
  const form = h('form', { class: 'filters' }, ...range.fields, field('Group by', groupBy)[0], field('Event name', eventName)[0],
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit' }, 'Apply')));
  const out = h('div', { id: 'paths' }, loading());
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Conversion paths'),
    h('p', { class: 'muted' }, 'The routes people took to convert: each touchpoint of the lookback window in order, repeats in a row counted once.')),
  panel(null, form), out);

  let refresh = null;
  const load = async () => {
    clearTimeout(refresh);
    const params = { workspace: ws, from: range.from.value, to: range.to.value, group_by: groupBy.value,
      event_name: eventName.value.trim(), limit: 50 };
    history.replaceState(null, '', location.pathname + qs({ ...params, workspace: undefined, limit: undefined, ws }));
    clear(out, loading('Counting paths…'));
    try {
      const d = (await get('/api/v1/reports/paths' + qs(params))).data;
      clear(out, view(d));
      // a run being computed or recomputed in the background: look again shortly
      if (d.run.recomputing) refresh = setTimeout(load, 3000);
    } catch (e) {
      clear(out, errorBox(e, load));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  await load();
}

function view(d) {
  const groupName = (GROUPS.find(([g]) => g === d.group_by) || [, d.group_by])[1];
  const note = d.run.computed_at
    ? h('p', { class: 'muted small', id: 'paths-run' }, `Counted ${time(d.run.computed_at)}`,
      d.run.stale ? ' · data changed since; recounting' : d.run.recomputing ? ' · recounting' : '')
    : h('p', { class: 'muted small', id: 'paths-run' }, 'Being counted; this page updates when it is done.');
  if (!d.paths.length) {
    return h('div', {}, note, panel(null, empty('No conversions in this range',
      'Widen the dates, or check that conversions arrive in the Events log.')));
  }
  const other = (p) => Object.entries(p.revenue_other_currencies || {}).map(([c, v]) => money(v, c)).join(' + ');
  const rows = d.paths.map((p) => h('tr', { dataset: { path: p.path.join(' > ') } },
    h('td', { class: 'path' }, p.without_touchpoints
      ? h('span', { class: 'muted' }, 'No touchpoint (direct)')
      : p.path.map((s, i) => [i ? h('span', { class: 'step-arrow', 'aria-label': 'then' }, ' → ') : null, h('span', { class: 'step' }, s)])),
    h('td', { class: 'num', dataset: { metric: 'conversions' } }, num(p.conversions)),
    h('td', { class: 'num', dataset: { metric: 'share' } }, num(100 * p.conversions / d.conversions) + '%'),
    h('td', { class: 'num', dataset: { metric: 'revenue' } }, money(p.revenue, d.currency), other(p) ? h('div', { class: 'muted small' }, other(p)) : null),
    h('td', { class: 'num', dataset: { metric: 'days' } }, num(p.average_days_to_convert)),
    h('td', { class: 'num', dataset: { metric: 'touches' } }, num(p.average_touches))));
  return h('div', {}, note,
    h('div', { class: 'stats' },
      stat('Conversions', 'paths-conversions', num(d.conversions)),
      stat('Different paths', 'paths-distinct', num(d.distinct_paths))),
    panel(`Most common paths by ${groupName.toLowerCase()}`, h('div', { class: 'table-wrap' }, h('table', { id: 'paths-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Path'), h('th', { class: 'num' }, 'Conversions'), h('th', { class: 'num' }, 'Share'),
        h('th', { class: 'num' }, 'Revenue'), h('th', { class: 'num' }, 'Avg. days to convert'), h('th', { class: 'num' }, 'Avg. touchpoints'))),
      h('tbody', {}, rows)))));
}
