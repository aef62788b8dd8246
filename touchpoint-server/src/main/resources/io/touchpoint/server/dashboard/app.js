// The frame around every signed-in page: navigation, workspace switcher and sign-out; then the page's own module.
import { session, get, del } from './api.js';
import { h, clear, errorBox } from './ui.js';

const NAV = [
  ['setup', '/dashboard/setup', 'Setup'],
  ['events', '/dashboard/events', 'Events log'],
  ['reports', '/dashboard/reports', 'Attribution'],
  ['journeys', '/dashboard/journeys', 'Journeys'],
  ['destinations', '/dashboard/destinations', 'Destinations'],
  ['audit', '/dashboard/audit', 'Audit log'],
];
const WS_KEY = 'touchpoint.workspace';

const page = document.body.dataset.page;
const main = document.getElementById('main');

async function start() {
  if (page === 'sign-in') {
    (await import('./sign-in.js')).render(main);
    return;
  }
  const s = await session();
  if (!s) {
    location.replace('/sign-in?next=' + encodeURIComponent(location.pathname + location.search));
    return;
  }
  const workspaces = (await get('/admin/v1/workspaces')).data;
  const asked = new URLSearchParams(location.search).get('ws') || localStorage.getItem(WS_KEY);
  const workspace = workspaces.find((w) => w.id === asked || w.name === asked) || workspaces[0] || null;
  if (workspace) localStorage.setItem(WS_KEY, workspace.id);
  header(workspaces, workspace);
  const ctx = {
    main,
    workspace,
    workspaces,
    /** Opens this page for another workspace (a full load, so no state of the old one lingers). */
    switchTo(id) {
      localStorage.setItem(WS_KEY, id);
      const u = new URL(location.href);
      u.search = '';
      u.searchParams.set('ws', id);
      location.assign(u.toString());
    },
  };
  const module = await import(`./${page}.js`);
  clear(main);
  await module.render(ctx);
}

function header(workspaces, current) {
  const top = document.getElementById('top');
  const ws = current ? '?ws=' + encodeURIComponent(current.id) : '';
  const switcher = h('select', { id: 'workspace-switcher', 'aria-label': 'Workspace' },
    workspaces.map((w) => h('option', { value: w.id, selected: current && w.id === current.id }, w.name)));
  switcher.addEventListener('change', () => {
    localStorage.setItem(WS_KEY, switcher.value);
    location.assign(location.pathname + '?ws=' + encodeURIComponent(switcher.value));
  });
  const signOut = h('button', { type: 'button', class: 'secondary small', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    try {
      await del('/admin/v1/session');
    } finally {
      location.assign('/sign-in');
    }
  });
  const menu = h('button', { type: 'button', class: 'menu-toggle secondary small', 'aria-expanded': 'false',
    'aria-controls': 'nav' }, 'Menu');
  const nav = h('nav', { id: 'nav', 'aria-label': 'Main' }, NAV.map(([id, href, label]) =>
    h('a', { href: href + ws, 'aria-current': id === page ? 'page' : null }, label)));
  menu.addEventListener('click', () => {
    const open = top.classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  });
  clear(top,
    h('a', { class: 'brand', href: '/dashboard/setup' + ws }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Touchpoint'),
    menu, nav,
    h('div', { class: 'top-right' }, workspaces.length ? switcher : null, signOut));
}

start().catch((e) => {
  clear(main, errorBox(e, () => location.reload()));
});
