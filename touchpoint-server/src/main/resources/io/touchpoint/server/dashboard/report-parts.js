// What the paths and traffic pages share: the date range (From and To in the workspace's time zone, the last 30 days
// by default as the APIs' own default) and the figures at the top.
import { h, field } from './ui.js';

/** Today as YYYY-MM-DD in an IANA time zone. */
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

/** From and To inputs, from the page's address or the last 30 days; returns { from, to, fields }. */
export function rangeInputs(workspace, url) {
  const tz = (workspace.settings && workspace.settings.time_zone) || 'UTC';
  const today = todayIn(tz);
  const from = h('input', { type: 'date', id: 'from', value: url.get('from') || daysBefore(today, 29), required: true });
  const to = h('input', { type: 'date', id: 'to', value: url.get('to') || today, required: true });
  return { from, to, fields: [field('From', from)[0], field('To', to)[0]] };
}

/** A figure at the top of a page: its label and value, the value's element found by its id. */
export function stat(label, id, value) {
  return h('div', { class: 'stat' }, h('p', { class: 'stat-label' }, label), h('p', { class: 'stat-value', id }, value));
}
