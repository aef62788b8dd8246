// The date range of a report page: presets in the workspace's time zone, a custom range, and the period to compare
// with. Everything is kept in the URL (preset, or from and to; compare) so that a view can be shared and bookmarked.
import { h, field, select, num, money } from './ui.js';

export const PRESETS = [['today', 'Today'], ['last_7_days', 'Last 7 days'], ['last_30_days', 'Last 30 days'],
  ['last_90_days', 'Last 90 days'], ['month_to_date', 'Month to date'], ['last_month', 'Last month'], ['custom', 'Custom']];
export const COMPARISONS = [['', 'No comparison'], ['previous', 'Previous period'], ['year', 'Same period last year']];

/** Today's date as YYYY-MM-DD in an IANA time zone. */
export function todayIn(timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The YYYY-MM-DD date n days before another (calendar arithmetic, so no time zone is involved). */
export function daysBefore(isoDate, n) {
  const d = new Date(isoDate + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** Days from one date to another, both included. */
function length(from, to) {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86400000) + 1;
}

/** The same date a year before; 29 February becomes the 28th. */
function yearBefore(isoDate) {
  const [y, m, d] = isoDate.split('-').map(Number);
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The days a preset covers, ending on {@code today}; null for custom. */
export function rangeOf(preset, today) {
  const month = today.slice(0, 8);
  switch (preset) {
    case 'today': return { from: today, to: today };
    case 'last_7_days': return { from: daysBefore(today, 6), to: today };
    case 'last_30_days': return { from: daysBefore(today, 29), to: today };
    case 'last_90_days': return { from: daysBefore(today, 89), to: today };
    case 'month_to_date': return { from: month + '01', to: today };
    case 'last_month': {
      const end = daysBefore(month + '01', 1);
      return { from: end.slice(0, 8) + '01', to: end };
    }
    default: return null;
  }
}

/** The period a range is compared with: as long and just before it, or the same days a year before. */
export function comparedRange(range, mode) {
  if (mode === 'previous') {
    const to = daysBefore(range.from, 1);
    return { from: daysBefore(to, length(range.from, range.to) - 1), to };
  }
  if (mode === 'year') return { from: yearBefore(range.from), to: yearBefore(range.to) };
  return null;
}

/**
 * The range controls of a page: a preset, From and To (editing either makes the range custom), and the comparison.
 * {@code range()} is what the page asks for, {@code compared()} the period before (null: none), {@code query()} what
 * goes in the URL: the preset when there is one, so a bookmark keeps meaning "the last 30 days".
 */
export function periodControls(url, timeZone) {
  const today = todayIn(timeZone);
  const asked = url.get('preset') || (url.get('from') || url.get('to') ? 'custom' : 'last_30_days');
  const preset = select('preset', PRESETS, PRESETS.some(([p]) => p === asked) ? asked : 'last_30_days');
  preset.id = 'preset';
  const initial = rangeOf(preset.value, today) || { from: url.get('from') || daysBefore(today, 29), to: url.get('to') || today };
  const from = h('input', { type: 'date', id: 'from', value: initial.from, required: true, max: today });
  const to = h('input', { type: 'date', id: 'to', value: initial.to, required: true, max: today });
  const compare = select('compare', COMPARISONS, url.get('compare') || '');
  compare.id = 'compare';
  preset.addEventListener('change', () => {
    const r = rangeOf(preset.value, today);
    if (r) {
      from.value = r.from;
      to.value = r.to;
    }
  });
  for (const input of [from, to]) input.addEventListener('input', () => { preset.value = 'custom'; });
  return {
    fields: [field('Dates', preset)[0], field('From', from)[0], field('To', to)[0], field('Compare with', compare)[0]],
    range: () => ({ from: from.value, to: to.value }),
    compared: () => comparedRange({ from: from.value, to: to.value }, compare.value),
    query: () => (preset.value === 'custom'
      ? { preset: null, from: from.value, to: to.value, compare: compare.value }
      : { preset: preset.value, from: null, to: null, compare: compare.value }),
    /** What is wrong with the range before it is sent: [{param, message}]. */
    problems: () => (from.value && to.value && to.value < from.value
      ? [{ param: 'to', message: 'To must not be before From.' }] : []),
  };
}

/** The change from {@code before} to {@code now}: absolute, and relative (null where it has no meaning, from 0). */
export function delta(now, before) {
  if (now === null || now === undefined || before === null || before === undefined) return null;
  return { abs: now - before, pct: before === 0 ? null : (now - before) / Math.abs(before) * 100 };
}

/** The previous value and the change, as a line under a figure; "—" for a percentage that has no meaning. */
export function deltaNode(now, before, format) {
  const d = delta(now, before);
  if (!d) return h('span', { class: 'delta', dataset: { previous: '' } }, 'previous: —');
  const sign = d.abs > 0 ? '+' : d.abs < 0 ? '−' : '±';
  const pct = d.pct === null ? '—' : `${sign}${num(Math.abs(d.pct))}%`;
  return h('span', { class: 'delta ' + (d.abs > 0 ? 'up' : d.abs < 0 ? 'down' : ''),
    dataset: { previous: String(before), abs: String(d.abs), pct: d.pct === null ? '' : String(d.pct) } },
  `previous ${format(before)} · ${sign}${format(Math.abs(d.abs))} (${pct})`);
}

const COUNTED = ['conversions', 'revenue'];

/**
 * Puts the compared period's figures under the attribution report's: the summary cards and each row's cells (by
 * {@code data-metric}) of {@code #report-table}. A group the previous period lacks compares with nothing ("—").
 */
export function compareReport(out, report, previous, model) {
  const currency = report.currency;
  const fmt = (metric) => (v) => (metric === 'conversions' || metric.endsWith('_count') ? num(v)
    : metric === 'roas' ? num(v) + '×' : money(v, currency));
  const cards = { 'total-conversions': ['conversions', previous.totals.conversions], 'total-revenue': ['revenue', previous.totals.revenue] };
  for (const [id, [metric, before]] of Object.entries(cards)) {
    const el = out.querySelector('#' + id);
    const now = report.totals[metric];
    if (el) el.after(deltaNode(now, before, fmt(metric)));
  }
  const rows = new Map(previous.rows.map((r) => [r.group, r.models[model]]));
  out.querySelectorAll('#report-table tbody tr[data-group]').forEach((tr) => {
    const before = rows.get(tr.dataset.group);
    tr.querySelectorAll('td[data-metric]').forEach((td) => {
      const metric = td.dataset.metric;
      const now = td.dataset.value === '' ? null : Number(td.dataset.value);
      // a group without conversions before had 0 of them, and no ratio
      const was = before ? (before[metric] === undefined ? null : before[metric]) : (COUNTED.includes(metric) ? 0 : null);
      td.append(deltaNode(now, was, fmt(metric)));
    });
  });
}

/**
 * The Dates preset of a page that filters by wall-clock From and To (datetime-local fields, in the workspace's time
 * zone): a preset fills them from the first day's midnight (up to now, or to the last day's end for last month),
 * editing either makes the range custom, and the preset is kept in the URL.
 */
export function timePreset(from, to, timeZone) {
  const asked = new URLSearchParams(location.search).get('preset') || '';
  const preset = select('preset', [['', 'Any time'], ...PRESETS], PRESETS.some(([p]) => p === asked) ? asked : '');
  preset.id = 'preset';
  const keep = () => {
    const u = new URL(location.href);
    if (preset.value && preset.value !== 'custom') u.searchParams.set('preset', preset.value);
    else u.searchParams.delete('preset');
    history.replaceState(null, '', u);
  };
  const apply = () => {
    const r = rangeOf(preset.value, todayIn(timeZone));
    if (r || !preset.value) {
      from.value = r ? r.from + 'T00:00:00' : '';
      to.value = r && preset.value === 'last_month' ? r.to + 'T23:59:59' : '';
    }
    keep();
  };
  preset.addEventListener('change', apply);
  for (const input of [from, to]) {
    input.addEventListener('input', () => {
      preset.value = from.value || to.value ? 'custom' : '';
      keep();
    });
  }
  if (preset.value) apply();
  return field('Dates', preset)[0];
}
