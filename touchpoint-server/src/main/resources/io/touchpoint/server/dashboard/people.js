// People: the workspace's people, most recently seen first, searchable by any identifier; each links to their journey.
import { get, qs } from './api.js';
import { h, clear, field, panel, empty, errorBox, loading, num, money, time, noWorkspace } from './ui.js';

export async function render(ctx) {
  const { main, workspace } = ctx;
  if (!workspace) {
    main.append(noWorkspace());
    return;
  }
  const ws = workspace.id;
  const currency = (workspace.settings && workspace.settings.currency) || 'USD';
  const url = new URLSearchParams(location.search);
  const search = h('input', { type: 'search', id: 'people-search', value: url.get('q') || '',
    placeholder: 'e-mail, phone, visitor token…', spellcheck: 'false' });
  const form = h('form', { class: 'filters', role: 'search' }, field('Search', search)[0],
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', id: 'people-find' }, 'Search')));
  const body = h('tbody', {});
  const table = h('div', { class: 'table-wrap' }, h('table', { id: 'people-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Person'), h('th', {}, 'First seen'), h('th', {}, 'Last seen'),
      h('th', { class: 'num' }, 'Conversions'), h('th', { class: 'num' }, 'Revenue'))), body));
  const more = h('button', { type: 'button', class: 'secondary', id: 'people-more', hidden: true }, 'Show more');
  const out = h('div', { id: 'people' });
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'People'),
    h('p', { class: 'muted' }, 'Everyone this workspace knows, most recently seen first. Open one to see their journey.')),
  panel(null, form), out);

  let cursor = null;
  const load = async (append) => {
    if (!append) {
      cursor = null;
      clear(out, loading('Loading people…'));
    }
    more.disabled = true;
    try {
      const page = await get('/api/v1/profiles' + qs({ workspace: ws, q: search.value.trim(), limit: 50, cursor }));
      if (!append) body.replaceChildren();
      body.append(...page.data.map((p) => row(ws, p, currency)));
      cursor = page.next_cursor;
      more.hidden = !cursor;
      if (!append) {
        clear(out, body.children.length ? panel(null, table, more)
          : panel(null, empty(search.value.trim() ? 'No one matches' : 'No one yet',
            search.value.trim() ? 'No identifier of anyone here contains that text.' : 'People appear once their events are processed.')));
      }
    } catch (e) {
      clear(out, errorBox(e, () => load(append)));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => load(true));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    history.replaceState(null, '', location.pathname + qs({ ws, q: search.value.trim() }));
    load(false);
  });
  await load(false);
}

/** The identifier a person is best known by: an e-mail, then a phone, then whatever else they have. */
function name(p) {
  const order = ['email', 'phone', 'client_id', 'visitor_token'];
  const sorted = [...p.identifiers].sort((a, b) => rank(order, a.type) - rank(order, b.type));
  return sorted[0] ? sorted[0].value : p.id;
}

function rank(order, type) {
  const i = order.indexOf(type);
  return i < 0 ? order.length : i;
}

function row(ws, p, currency) {
  const others = Object.entries(p.revenue_other_currencies || {}).map(([c, v]) => money(v, c)).join(' + ');
  const ids = p.identifiers.map((i) => `${i.type}: ${i.value}`);
  return h('tr', { dataset: { profile: p.id } },
    h('td', {}, h('a', { href: '/dashboard/journeys' + qs({ ws, profile: p.id }), class: 'person' }, name(p)),
      h('div', { class: 'muted small wrap' }, ids.slice(0, 3).join(' · '), ids.length > 3 ? ` · +${ids.length - 3}` : '')),
    h('td', {}, time(p.first_seen)),
    h('td', {}, time(p.last_seen)),
    h('td', { class: 'num', dataset: { metric: 'conversions' } }, num(p.conversions)),
    h('td', { class: 'num', dataset: { metric: 'revenue' } }, p.conversions ? money(p.revenue, currency) : '—',
      others ? h('div', { class: 'muted small' }, others) : null));
}
