// The attribution report: one model at a time with charts, every model side by side, CSV, cost and ROAS.
import { get, post, qs } from './api.js';
import { h, clear, field, select, panel, empty, errorBox, loading, num, money, time, toast, noWorkspace, formErrors } from './ui.js';
import { label } from './events.js';
import { periodControls, compareReport } from './period.js';
import { drillDown } from './drilldown.js';
import { viewsBar } from './views.js';
import { columnControls, extraColumns, extraHeaders, extraCells, sortHeader } from './report-columns.js';

const MODELS = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'markov', 'shapley'];
// computed per report by the server's report engine, not part of model=all
const ENGINE_MODELS = ['linear_paid', 'source_first_touch', 'source_last_touch'];
const SOURCE_MODELS = ['source_first_touch', 'source_last_touch'];
const GROUPS = [['channel', 'Channel'], ['source', 'Source'], ['medium', 'Medium'], ['campaign', 'Campaign'],
  ['content', 'Content'], ['term', 'Term'], ['platform', 'Platform'], ['ad_set', 'Ad set'], ['ad', 'Ad']];
const WINDOWS = [['', 'Workspace default'], ['1', '1 day'], ['7', '7 days'], ['14', '14 days'], ['30', '30 days'],
  ['60', '60 days'], ['90', '90 days'], ['lifetime', 'Lifetime']];
const PLATFORMS = [['meta', 'Meta'], ['google', 'Google'], ['tiktok', 'TikTok'], ['microsoft', 'Microsoft'],
  ['linkedin', 'LinkedIn'], ['x', 'X']];
const COLORS = ['#2f6fdf', '#14a37f', '#e0892b', '#8a5cd6', '#d64f7a', '#3aa0b8', '#8c9a2b', '#6b7280'];

export async function render(ctx) {
  const { main, workspace } = ctx;
  if (!workspace) {
    main.append(noWorkspace());
    return;
  }
  const ws = workspace.id;
  const url = new URLSearchParams(location.search);
  // the default range is the last 30 days in the workspace's time zone, as the API's own default
  const tz = (workspace.settings && workspace.settings.time_zone) || 'UTC';
  const period = periodControls(url, tz);
  const model = select('model', [...MODELS, ...ENGINE_MODELS].map((m) => [m, label(m)]), url.get('model') || 'last_non_direct');
  model.id = 'model';
  const groupBy = select('group_by', GROUPS, url.get('group_by') || 'channel');
  groupBy.id = 'group-by';
  const window_ = select('window', WINDOWS, url.get('window') || '');
  window_.id = 'report-window';
  const platform = select('platform', PLATFORMS, url.get('platform') || 'meta');
  platform.id = 'report-platform';
  const platformField = field('Platform', platform)[0];
  const showPlatform = () => { platformField.hidden = !SOURCE_MODELS.includes(model.value); };
  showPlatform();
  const eventName = h('input', { type: 'search', id: 'report-event-name', value: url.get('event_name') || '',
    placeholder: 'all conversions' });
  const csv = h('a', { class: 'button secondary', id: 'csv', download: '' }, 'Download CSV');
  const columns = columnControls(url);
  const form = h('form', { class: 'filters' },
    ...period.fields, field('Model', model)[0], platformField, field('Window', window_)[0], field('Group by', groupBy)[0],
    field('Event name', eventName)[0], ...columns.fields,
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit' }, 'Apply'), csv));
  const formMessage = h('p', { class: 'form-error', role: 'alert' });
  form.append(formMessage);
  const errors = formErrors(form, formMessage, { group_by: 'group-by', event_name: 'report-event-name',
    window: 'report-window', platform: 'report-platform' });
  const out = h('div', { id: 'report' }, loading());
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Attribution'),
    h('p', { class: 'muted' }, 'Which channels and campaigns produced the conversions, under each model.')),
  viewsBar({ ws, page: 'attribution', session: ctx.session, can: ctx.can }), panel(null, form), out);

  let report = null;
  let previous = null; // the compared period's report, when one is chosen
  let processing = null;
  let refresh = null; // a reload while a stale data-driven run is recomputed in the background
  let reloads = 0;
  const charts = [];
  // every stored model side by side, and the chosen engine model beside them; the window and platform when chosen
  const models = () => (ENGINE_MODELS.includes(model.value) ? [...MODELS, model.value].join(',') : 'all');
  const params = (extra) => ({
    workspace: ws, ...period.range(), group_by: groupBy.value, event_name: eventName.value.trim(),
    window: window_.value || null, platform: SOURCE_MODELS.includes(model.value) ? platform.value : null,
    ...columns.params(model.value), ...extra,
  });

  const draw = () => {
    charts.splice(0).forEach((c) => c.destroy());
    const m = model.value;
    const d = { ...report, rows: rowsOf(report, m, !!columns.sortedBy()) };
    const hasCost = d.rows.some((r) => r.models[m] && r.models[m].cost !== null);
    const dataDriven = m === 'markov' || m === 'shapley';
    if (!d.rows.length) {
      clear(out, summary(d, m, hasCost), lagNote(), dataDriven ? dataDrivenNote(d) : null, panel(null, empty('No conversions in this range',
        'Widen the dates, or check that conversions arrive in the Events log and that their events count as conversions in Setup.')));
      return;
    }
    const groupName = groupBy.options[groupBy.selectedIndex].text;
    const barCanvas = h('canvas', { id: 'chart-groups', role: 'img', 'aria-label': `Conversions and revenue per ${groupName}, ${label(m)}` });
    const lineCanvas = h('canvas', { id: 'chart-daily', role: 'img', 'aria-label': 'Conversions and revenue per day' });
    clear(out,
      summary(d, m, hasCost),
      lagNote(),
      dataDriven ? dataDrivenNote(d) : null,
      h('div', { class: 'grid charts' },
        panel(`Per ${groupName.toLowerCase()} · ${label(m)}`, h('div', { class: 'chart' }, barCanvas)),
        panel('Every day', h('div', { class: 'chart' }, lineCanvas))),
      panel(`${groupName} · ${label(m)}`, modelTable(d, m, groupName, hasCost, columns)),
      panel('Compare all models', compareTable(report, groupName)));
    if (window.Chart) {
      charts.push(barChart(barCanvas, d, m), lineChart(lineCanvas, d));
    } else {
      barCanvas.replaceWith(h('p', { class: 'muted' }, 'Charts could not load.'));
    }
    if (previous) compareReport(out, d, previous, m);
    drillDown(out, { ws, tz, query: { ...period.range(), group_by: groupBy.value, event_name: eventName.value.trim() }, model: m, groupName });
  };

  const dataDrivenNote = (d) => {
    // recomputing writes new credits: an admin's to ask for
    const b = ctx.can.admin ? h('button', { type: 'button', class: 'secondary small', id: 'recompute' }, 'Recompute now') : null;
    if (b) b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const answer = await post('/api/v1/reports/attribution/recompute' + qs(params({ model: models(), interval: 'day' })));
        report = answer.data;
        processing = answer.processing;
        toast('Recomputed');
        draw();
      } catch (e) {
        toast(e.message, 'bad');
        b.disabled = false;
      }
    });
    const dd = d.data_driven || {};
    return h('p', { class: 'note' + (dd.stale ? ' warn' : ''), id: 'data-driven-note', dataset: { stale: String(!!dd.stale) } },
      'Data-driven models credit channels over every journey in the range. ',
      ...(dd.computed_at
        ? ['Computed ', h('time', { id: 'computed-at', datetime: dd.computed_at }, time(dd.computed_at, tz)), '. ']
        : [dd.recomputing ? h('strong', { id: 'computing' }, 'Computing… this page updates by itself. ')
          : 'Not computed for this range yet. ']),
      dd.stale ? h('strong', { id: 'stale' }, 'Newer data has arrived since: these credits miss it'
        + (dd.recomputing ? ' and are being recomputed; this page updates by itself. ' : '. ')) : null, b);
  };

  // acknowledged events the processor has not put into reports yet: the numbers are not final
  const lagNote = () => {
    const lag = processing && processing.lag_events;
    if (!lag) return null;
    return h('p', { class: 'note warn', id: 'lag-note' }, `${num(lag)} event${lag === 1 ? '' : 's'} received `
      + `${lag === 1 ? 'is' : 'are'} not in these numbers yet (still being processed).`);
  };

  const load = async () => {
    const p = params({ model: models(), interval: 'day' });
    history.replaceState(null, '', location.pathname + qs({ ...Object.fromEntries(new URLSearchParams(location.search)), ws,
      ...period.query(), model: model.value, group_by: p.group_by, event_name: p.event_name, window: p.window,
      platform: p.platform, ...columns.query(), view: null }));
    csv.href = '/api/v1/reports/attribution' + qs(params({ model: models(), format: 'csv' }));
    clear(out, loading('Loading the report…'));
    clearTimeout(refresh);
    try {
      const compared = period.compared();
      const [answer, before] = await Promise.all([get('/api/v1/reports/attribution' + qs(p)),
        compared ? get('/api/v1/reports/attribution' + qs({ ...p, ...compared, interval: 'total' })) : null]);
      previous = before && before.data;
      report = answer.data;
      processing = answer.processing;
      draw();
      reloads = 0;
      if (report.data_driven && report.data_driven.recomputing) refresh = setTimeout(quietReload, 2000);
    } catch (e) {
      errors.server(e); // marks the field the server names, beside the box that says it
      clear(out, errorBox(e, load));
    }
  };
  // the same report again while its data-driven run is recomputed, redrawn when it answers (no loading state between)
  const quietReload = async () => {
    if (!document.body.contains(out)) return;
    try {
      const answer = await get('/api/v1/reports/attribution' + qs(params({ model: models(), interval: 'day' })));
      report = answer.data;
      processing = answer.processing;
      draw();
      if (report.data_driven && report.data_driven.recomputing && ++reloads < 30) refresh = setTimeout(quietReload, 2000);
    } catch {
      // the next Apply tries again
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (errors.check(() => [...period.problems(), ...columns.problems()])) load();
  });
  model.addEventListener('change', () => {
    showPlatform();
    if (!report) return;
    // an engine model (or another platform) is computed for this report, and a sort is the server's under the model
    if (ENGINE_MODELS.includes(model.value) || !report.models.includes(model.value) || columns.sortedBy()) {
      load();
      return;
    }
    history.replaceState(null, '', location.pathname + qs({ ...Object.fromEntries(new URLSearchParams(location.search)), model: model.value }));
    draw();
  });
  columns.onSort = load;
  groupBy.addEventListener('change', load);
  window_.addEventListener('change', load);
  platform.addEventListener('change', load);
  await load();
}

/**
 * The rows that count under one model: groups with credit or spend; in the API's order when a column sorts them,
 * otherwise most conversions first, then by name.
 */
function rowsOf(report, m, sorted) {
  const f = (r) => r.models[m] || { conversions: 0, revenue: 0, cost: null };
  const rows = report.rows.filter((r) => f(r).conversions !== 0 || f(r).revenue !== 0 || (f(r).cost || 0) > 0);
  return sorted ? rows
    : rows.sort((a, b) => f(b).conversions - f(a).conversions || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

function summary(d, m, hasCost) {
  const cost = hasCost ? d.rows.reduce((s, r) => s + (r.models[m].cost || 0), 0) : null;
  const card = (title, value, id) => h('div', { class: 'card' }, h('p', { class: 'card-title' }, title), h('p', { class: 'card-value', id }, value));
  return h('div', { class: 'cards' },
    card('Conversions', num(d.totals.conversions), 'total-conversions'),
    card('Revenue', money(d.totals.revenue, d.currency), 'total-revenue'),
    hasCost ? card('Ad spend', money(cost, d.currency), 'total-cost') : null,
    hasCost ? card('ROAS', cost > 0 ? num(d.totals.revenue / cost) + '×' : '—', 'total-roas') : null);
}

function modelTable(d, m, groupName, hasCost, columns) {
  const cols = [['conversions', 'Conversions'], ['revenue', 'Revenue']]
    .concat(hasCost ? [['cost', 'Cost'], ['cost_per_conversion', 'Cost / conversion'], ['roas', 'ROAS']] : []);
  const extra = extraColumns(d, m);
  return h('div', { class: 'table-wrap' }, h('table', { id: 'report-table', dataset: { model: m } },
    h('thead', {}, h('tr', {}, sortHeader(columns, 'group', groupName, false), cols.map(([c, text]) => sortHeader(columns, c, text)),
      extraHeaders(columns, extra))),
    h('tbody', {}, d.rows.map((r) => {
      const f = r.models[m];
      return h('tr', { dataset: { group: r.group } }, h('th', { scope: 'row' }, r.group),
        cell('conversions', f.conversions, num(f.conversions)), cell('revenue', f.revenue, money(f.revenue, d.currency)),
        hasCost ? [cell('cost', f.cost, money(f.cost, d.currency)),
          cell('cost_per_conversion', f.cost_per_conversion, money(f.cost_per_conversion, d.currency)),
          cell('roas', f.roas, f.roas === null ? '—' : num(f.roas) + '×')] : null,
        extraCells(f, extra, d.currency));
    }))));
}

function cell(metric, value, text) {
  return h('td', { class: 'num', dataset: { metric, value: value === null ? '' : String(value) } }, text);
}

function compareTable(d, groupName) {
  return h('div', { class: 'table-wrap' }, h('table', { id: 'compare-table', class: 'compare' },
    h('caption', { class: 'sr-only' }, 'Conversions and revenue per group under every model'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, groupName), d.models.map((m) => h('th', { scope: 'col', class: 'num' }, label(m))))),
    h('tbody', {}, d.rows.map((r) => h('tr', { dataset: { group: r.group } }, h('th', { scope: 'row' }, r.group),
      d.models.map((m) => h('td', { class: 'num', dataset: { model: m, value: String(r.models[m].conversions) } },
        num(r.models[m].conversions), h('div', { class: 'muted small' }, money(r.models[m].revenue, d.currency)))))))));
}

function barChart(canvas, d, m) {
  const rows = d.rows.slice(0, 12);
  return new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.group),
      datasets: [
        { label: 'Conversions', data: rows.map((r) => r.models[m].conversions), backgroundColor: COLORS[0], yAxisID: 'y' },
        { label: `Revenue (${d.currency})`, data: rows.map((r) => r.models[m].revenue), backgroundColor: COLORS[1], yAxisID: 'y1' },
      ],
    },
    options: chartOptions(),
  });
}

function lineChart(canvas, d) {
  const days = d.series || [];
  return new window.Chart(canvas, {
    type: 'line',
    data: {
      labels: days.map((x) => x.date.slice(5)),
      datasets: [
        { label: 'Conversions', data: days.map((x) => x.totals.conversions), borderColor: COLORS[0], backgroundColor: COLORS[0], yAxisID: 'y', tension: 0.25 },
        { label: `Revenue (${d.currency})`, data: days.map((x) => x.totals.revenue), borderColor: COLORS[1], backgroundColor: COLORS[1], yAxisID: 'y1', tension: 0.25 },
      ],
    },
    options: chartOptions(),
  });
}

function chartOptions() {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { position: 'bottom' } },
    scales: {
      y: { beginAtZero: true, position: 'left', title: { display: true, text: 'Conversions' } },
      y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'Revenue' } },
    },
  };
}
