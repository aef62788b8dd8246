// Traffic: how many people came, where they landed and where they came from, counted from page views (visitors,
// visits, page views, bounce rate per day; top landing pages; top sources), for a preset or custom range.
import { get, qs } from './api.js';
import { h, clear, panel, empty, errorBox, loading, num, noWorkspace, formErrors } from './ui.js';
import { periodControls, deltaNode } from './period.js';
import { stat } from './report-parts.js';

const FIGURES = [
  ['visitors', 'Visitors', 'traffic-visitors'],
  ['visits', 'Visits', 'traffic-visits'],
  ['page_views', 'Page views', 'traffic-page-views'],
  ['bounce_rate', 'Bounce rate', 'traffic-bounce-rate'],
  ['pages_per_visit', 'Pages per visit', 'traffic-pages-per-visit'],
];
const COLORS = ['#2f6fdf', '#14a37f'];

/** A share (0–1) as a percentage; "—" where there is nothing to divide. */
function percent(v) {
  return v === null || v === undefined ? '—' : num(Math.round(v * 1000) / 10) + '%';
}

function format(key) {
  return key === 'bounce_rate' ? percent : num;
}

export async function render(ctx) {
  const { main, workspace } = ctx;
  if (!workspace) {
    main.append(noWorkspace());
    return;
  }
  const ws = workspace.id;
  const url = new URLSearchParams(location.search);
  const period = periodControls(url, (workspace.settings && workspace.settings.time_zone) || 'UTC');
  const csv = h('a', { class: 'button secondary', id: 'traffic-csv', download: '' }, 'Download CSV');
  const form = h('form', { class: 'filters' }, ...period.fields,
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit' }, 'Apply'), csv));
  const message = h('p', { class: 'form-error', role: 'alert' });
  form.append(message);
  const errors = formErrors(form, message);
  const out = h('div', { id: 'traffic' }, loading('Loading traffic…'));
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Traffic'),
    h('p', { class: 'muted' }, 'People who came, where they landed and where they came from, counted from page views.')),
  panel(null, form), out);

  let chart = null;
  const load = async () => {
    const range = period.range();
    const params = { workspace: ws, ...range };
    history.replaceState(null, '', location.pathname + qs({ ws, ...period.query() }));
    csv.href = '/api/v1/reports/traffic' + qs({ ...params, limit: 100, format: 'csv' });
    clear(out, loading('Loading traffic…'));
    try {
      const compared = period.compared();
      const [answer, before] = await Promise.all([get('/api/v1/reports/traffic' + qs(params)),
        compared ? get('/api/v1/reports/traffic' + qs({ ...params, ...compared, limit: 1 })) : null]);
      if (chart) chart.destroy();
      chart = draw(out, answer, before && before.data);
    } catch (e) {
      errors.server(e);
      clear(out, errorBox(e, load));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (errors.check(period.problems)) load();
  });
  await load();
}

/** Draws the report into {@code out}; answers its chart (null when none was drawn). */
function draw(out, answer, previous) {
  const d = answer.data;
  const lag = answer.processing && answer.processing.lag_events > 0
    ? h('p', { class: 'muted small', id: 'traffic-lag' }, `${num(answer.processing.lag_events)} recent events are still being counted.`)
    : null;
  const stats = h('div', { class: 'stats' }, FIGURES.map(([key, label, id]) => stat(label, id, format(key)(d.totals[key]))));
  if (previous) {
    for (const [key, , id] of FIGURES) stats.querySelector('#' + id).after(deltaNode(d.totals[key], previous.totals[key], format(key)));
  }
  if (!d.totals.visits) {
    clear(out, lag, stats, panel(null, empty('No page views in this range',
      'Widen the dates, or install the pixel (Setup) so that page views arrive in the Events log.')));
    return null;
  }
  const canvas = h('canvas', { id: 'traffic-chart', role: 'img', 'aria-label': 'Visitors and page views per day' });
  const pages = d.landing_pages.map((p) => h('tr', { dataset: { path: p.path } },
    h('td', { class: 'path' }, p.path),
    h('td', { class: 'num', dataset: { metric: 'visits' } }, num(p.visits)),
    h('td', { class: 'num', dataset: { metric: 'bounce_rate' } }, percent(p.bounce_rate))));
  const sources = d.sources.map((s) => h('tr', { dataset: { source: s.source, channel: s.channel } },
    h('td', {}, s.source),
    h('td', {}, s.channel.replace(/_/g, ' ')),
    h('td', { class: 'num', dataset: { metric: 'visits' } }, num(s.visits)),
    h('td', { class: 'num', dataset: { metric: 'share' } }, percent(s.visits / d.totals.visits))));
  const days = d.days.filter((x) => x.visits > 0).map((x) => h('tr', { dataset: { day: x.day } },
    h('td', {}, x.day),
    ...['visitors', 'visits', 'page_views', 'bounce_rate'].map((k) => h('td', { class: 'num', dataset: { metric: k } }, format(k)(x[k])))));
  const table = (id, heads, rows) => h('div', { class: 'table-wrap' }, h('table', { id },
    h('thead', {}, h('tr', {}, heads.map((t, i) => h('th', { class: i ? 'num' : null }, t)))), h('tbody', {}, rows)));
  clear(out, lag, stats,
    panel('Every day', h('div', { class: 'chart' }, canvas)),
    h('div', { class: 'grid' },
      panel('Top landing pages', table('traffic-pages', ['Page', 'Visits', 'Bounce rate'], pages)),
      panel('Top sources', table('traffic-sources', ['Source', 'Channel', 'Visits', 'Share'], sources))),
    panel('Days with visits', table('traffic-days', ['Day', 'Visitors', 'Visits', 'Page views', 'Bounce rate'], days)));
  if (!window.Chart) {
    canvas.replaceWith(h('p', { class: 'muted' }, 'Charts could not load.'));
    return null;
  }
  return new window.Chart(canvas, {
    type: 'line',
    data: {
      labels: d.days.map((x) => x.day.slice(5)),
      datasets: [
        { label: 'Visitors', data: d.days.map((x) => x.visitors), borderColor: COLORS[0], backgroundColor: COLORS[0], tension: 0.25 },
        { label: 'Page views', data: d.days.map((x) => x.page_views), borderColor: COLORS[1], backgroundColor: COLORS[1], tension: 0.25 },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true } } },
  });
}
