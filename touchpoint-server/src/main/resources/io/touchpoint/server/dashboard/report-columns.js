// The attribution report's columns, as marketers build them by hand: event columns (events=A,B), the event cost per
// conversion and ROAS are on (value_event), averages of numeric custom_data fields (average=F), the sort (a click on
// a column's header: descending, then ascending) and hiding empty rows (hide_empty). Every choice is kept in the URL,
// so a saved view (views.js keeps the page's query) brings them back.
import { h, field, num, money } from './ui.js';

/** A comma-separated list as the API takes it: trimmed, empty names left out, each once. */
function names(text) {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

/**
 * The column controls, read from the page's address: { fields, params(model), query(), problems(), sortedBy(),
 * sortBy(column), onSort }. {@code params} is what the report request adds (the sort under the model shown); {@code query} is what
 * the URL keeps (the sort without a model, which follows the model chosen).
 */
export function columnControls(url) {
  const events = h('input', { type: 'text', id: 'report-events', value: url.get('events') || '',
    placeholder: 'e.g. lead_generated, purchase', dataset: { param: 'events' } });
  const valueEvent = h('input', { type: 'text', id: 'report-value-event', value: url.get('value_event') || '',
    placeholder: 'the row’s conversions', dataset: { param: 'value_event' } });
  const average = h('input', { type: 'text', id: 'report-average', value: url.get('average') || '',
    placeholder: 'e.g. lead_score', dataset: { param: 'average' } });
  const hideEmpty = h('input', { type: 'checkbox', id: 'report-hide-empty', checked: url.get('hide_empty') === 'true',
    dataset: { param: 'hide_empty' } });
  // "column:asc|desc" as the URL keeps it; null: the report's own order
  let sort = url.get('sort') || null;
  const fields = [
    field('Event columns', events, 'Event names, comma-separated: a count and revenue column each.')[0],
    field('ROAS / CPA on event', valueEvent)[0],
    field('Averages of custom data', average, 'Numeric custom_data fields, comma-separated (at most 5).')[0],
    h('div', { class: 'field checkbox' }, h('label', { for: hideEmpty.id }, hideEmpty, ' Hide empty rows')),
  ];
  const controls = {
    fields,
    onSort: null,
    params(model) {
      return {
        events: names(events.value).join(',') || null,
        value_event: valueEvent.value.trim() || null,
        average: names(average.value).join(',') || null,
        hide_empty: hideEmpty.checked ? 'true' : null,
        sort: sort ? `${model}.${sort}` : null,
      };
    },
    query() {
      const p = controls.params('');
      return { ...p, sort };
    },
    /** What the API would refuse, said on its field before anything is sent. */
    problems() {
      const fields = names(average.value);
      const bad = fields.find((a) => !/^[A-Za-z0-9_-]{1,64}$/.test(a));
      if (bad) return [{ param: 'average', message: `“${bad}” is not a custom_data field name: 1 to 64 letters, digits, _ or -.` }];
      if (fields.length > 5) return [{ param: 'average', message: 'Average at most 5 fields.' }];
      return [];
    },
    sortedBy() {
      return sort;
    },
    /** A header clicked: the same column flips its direction, another sorts descending (group names ascending). */
    sortBy(column) {
      const [current, dir] = (sort || '').split(':');
      sort = current === column ? `${column}:${dir === 'desc' ? 'asc' : 'desc'}` : `${column}:${column === 'group' ? 'asc' : 'desc'}`;
      if (controls.onSort) controls.onSort();
    },
  };
  return controls;
}

/** The event and average columns the report has, from its rows (the API answers them per model). */
export function extraColumns(report, m) {
  const first = report.rows.map((r) => r.models[m]).find(Boolean) || {};
  return { events: Object.keys(first.events || {}), averages: Object.keys(first.averages || {}) };
}

/** A column header that sorts by its column when clicked, saying how the rows are sorted now (aria-sort). */
export function sortHeader(controls, column, text, numeric = true) {
  const [current, dir] = (controls.sortedBy() || '').split(':');
  const on = current === column;
  const button = h('button', { type: 'button', class: 'sort', dataset: { sort: column } }, text,
    on ? (dir === 'asc' ? ' ▲' : ' ▼') : '');
  button.addEventListener('click', () => controls.sortBy(column));
  return h('th', { scope: 'col', class: numeric ? 'num' : null, 'aria-sort': on ? (dir === 'asc' ? 'ascending' : 'descending') : 'none' },
    button);
}

/** The header cells of the event and average columns. */
export function extraHeaders(controls, cols) {
  return [
    ...cols.events.flatMap((e) => [sortHeader(controls, `${e}.conversions`, `${e} · conversions`),
      sortHeader(controls, `${e}.revenue`, `${e} · revenue`)]),
    ...cols.averages.map((a) => sortHeader(controls, `${a}.average`, `Average ${a}`)),
  ];
}

/** A row's event and average cells; "—" where an average has no meaning (no conversion of the row carries it). */
export function extraCells(f, cols, currency) {
  const cell = (column, value, text) => h('td', { class: 'num', dataset: { column, value: value === null || value === undefined ? '' : String(value) } },
    value === null || value === undefined ? '—' : text);
  const ev = (e) => (f.events && f.events[e]) || { conversions: 0, revenue: 0 };
  return [
    ...cols.events.flatMap((e) => [cell(`${e}.conversions`, ev(e).conversions, num(ev(e).conversions)),
      cell(`${e}.revenue`, ev(e).revenue, money(ev(e).revenue, currency))]),
    ...cols.averages.map((a) => {
      const v = f.averages ? f.averages[a] : null;
      return cell(`${a}.average`, v, num(v));
    }),
  ];
}
