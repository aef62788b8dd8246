// Drill-down from an attribution report row: the conversions the model credits to the row's group (with the share
// of each it gives), and from each conversion to its receipt and to the person's journey.
import { get, qs } from './api.js';
import { h, clear, drawer, loading, errorBox, empty, num, money, time } from './ui.js';
import { receiptView, label } from './events.js';

const PAGE = 50;
const DATA_DRIVEN = ['markov', 'shapley'];

/**
 * Makes each row of {@code #report-table} open its conversions. {@code query} is the report's (workspace, range,
 * grouping, event names); data-driven models credit groups over all journeys, not single conversions, so their rows
 * stay plain.
 */
export function drillDown(out, { ws, tz, query, model, groupName }) {
  if (DATA_DRIVEN.includes(model)) return;
  out.querySelectorAll('#report-table tbody tr[data-group] th[scope=row]').forEach((th) => {
    const group = th.closest('tr').dataset.group;
    const b = h('button', { type: 'button', class: 'drill', title: 'Show the conversions credited to ' + group }, th.textContent);
    b.addEventListener('click', () => open({ ws, tz, query, model, groupName, group }));
    th.replaceChildren(b);
  });
}

function open({ ws, tz, query, model, groupName, group }) {
  const list = h('div', { id: 'drill-list' }, loading('Loading the conversions…'));
  drawer(`${groupName}: ${group}`, h('p', { class: 'muted' }, `${label(model)} credits these conversions to ${group}, `
    + `${query.from} to ${query.to}, newest first: each with the share of it credited here, and that share of its value.`), list);
  const rows = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary small', id: 'drill-more', hidden: true }, 'Load more');
  let cursor = null;
  const page = async () => {
    more.disabled = true;
    try {
      const answer = await get('/api/v1/reports/attribution/conversions' + qs({ ...query, workspace: ws, group, model,
        limit: PAGE, cursor }));
      if (!cursor && !answer.data.length) {
        clear(list, empty('No conversions', 'Nothing in this range is credited to this group under this model.'));
        return;
      }
      if (!cursor) {
        clear(list, h('div', { class: 'table-wrap' }, h('table', { class: 'drill-table', id: 'drill-table' },
          h('thead', {}, h('tr', {}, ['Time', 'Event', 'Value', 'Credit', 'Person'].map((c, i) =>
            h('th', { scope: 'col', class: i === 2 || i === 3 ? 'num' : null }, c)))), rows)), more);
      }
      rows.append(...answer.data.flatMap((c) => row(ws, tz, c)));
      cursor = answer.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      clear(list, errorBox(e, page));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', page);
  page();
}

function row(ws, tz, c) {
  const slot = h('tr', { class: 'receipt-row', hidden: true }, h('td', { colspan: '5' }));
  const receipt = h('button', { type: 'button', class: 'link receipt-open' }, 'Receipt');
  receipt.addEventListener('click', async () => {
    slot.hidden = !slot.hidden;
    if (slot.hidden || slot.dataset.loaded) return;
    const cell = slot.firstChild;
    clear(cell, loading());
    try {
      const r = await get(`/api/v1/conversions/${encodeURIComponent(c.event_id)}/attribution` + qs({ workspace: ws }));
      clear(cell, receiptView(r.data));
      slot.dataset.loaded = 'true';
    } catch (e) {
      clear(cell, errorBox(e));
    }
  });
  const journey = h('a', { href: `/dashboard/journeys?ws=${encodeURIComponent(ws)}&profile=${encodeURIComponent(c.profile_id)}`,
    class: 'journey-link' }, 'Journey');
  return [h('tr', { dataset: { eventId: c.event_id, credit: String(c.credit) } },
    h('td', {}, time(c.time, tz)), h('td', {}, c.event_name),
    h('td', { class: 'num' }, c.value === null ? '—' : money(c.value, c.currency),
      h('div', { class: 'muted small credited' }, c.credited_value === null ? null : 'credited ' + money(c.credited_value, c.currency))),
    h('td', { class: 'num share' }, num(c.credit * 100) + '%'),
    h('td', {}, h('div', { class: 'row-actions' }, journey, receipt))), slot];
}
