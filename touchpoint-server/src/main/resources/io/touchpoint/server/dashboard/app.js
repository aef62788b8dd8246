// The frame around every signed-in page: navigation, workspace switcher and sign-out; then the page's own module.
// Pages and controls a role cannot use are left out: analysts read (events log, reports, journeys), admins also
// change a workspace (setup, destinations), and only an owner of every workspace manages users. The server refuses
// the same things whatever the page shows.
import { session, get, del } from './api.js';
import { h, clear, errorBox } from './ui.js';

/** The pages: id, path, label, and the role they need in the workspace ('everything': an owner of every workspace). */
const NAV = [
  ['setup', '/dashboard/setup', 'Setup', 'admin'],
  ['events', '/dashboard/events', 'Events log', 'analyst'],
  ['reports', '/dashboard/reports', 'Attribution', 'analyst'],
  ['paths', '/dashboard/paths', 'Paths', 'analyst'],
  ['traffic', '/dashboard/traffic', 'Traffic', 'analyst'],
  ['people', '/dashboard/people', 'People', 'analyst'],
  ['journeys', '/dashboard/journeys', 'Journeys', 'analyst'],
  ['destinations', '/dashboard/destinations', 'Destinations', 'admin'],
  ['ad-accounts', '/dashboard/ad-accounts', 'Ad accounts', 'analyst'],
  ['exports', '/dashboard/exports', 'Exports', 'admin'],
  ['users', '/dashboard/users', 'Users', 'everything'],
  ['audit', '/dashboard/audit', 'Audit log', 'everything'],
];
const RANK = { analyst: 1, admin: 2, owner: 3 };
const WS_KEY = 'touchpoint.workspace';

const page = document.body.dataset.page;
const main = document.getElementById('main');

async function start() {
  if (page === 'sign-in' || page === 'invite') {
    (await import(`./${page}.js`)).render(main);
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
  const can = permissions(s, workspace);
  const pages = NAV.filter(([, , , needs]) => can[needs]);
  if (!pages.length) {
    clear(main, h('p', { class: 'panel' }, 'Your role gives you no page here; ask an owner for access.'));
    return;
  }
  if (!pages.some(([id]) => id === page)) {
    const first = pages.find(([, , , needs]) => needs === 'analyst') || pages[0];
    location.replace(first[1] + (workspace ? '?ws=' + encodeURIComponent(workspace.id) : ''));
    return;
  }
  header(workspaces, workspace, pages);
  const ctx = {
    main,
    workspace,
    workspaces,
    session: s,
    /** What the signed-in person may do in this workspace: analyst, admin, and everything (users, new workspaces). */
    can,
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

/** The session's role in the workspace, as the checks a page makes before drawing a control. */
function permissions(s, workspace) {
  const holds = s.workspaces === 'all' || (workspace && s.workspaces.includes(workspace.id));
  const rank = holds ? RANK[s.role] || 0 : 0;
  return { analyst: rank >= 1, admin: rank >= 2, everything: s.role === 'owner' && s.workspaces === 'all' };
}

function header(workspaces, current, pages) {
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
  const nav = h('nav', { id: 'nav', 'aria-label': 'Main' }, pages.map(([id, href, label]) =>
    h('a', { href: href + ws, 'aria-current': id === page ? 'page' : null }, label)));
  menu.addEventListener('click', () => {
    const open = top.classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  });
  clear(top,
    h('a', { class: 'brand', href: pages[0][1] + ws }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Touchpoint'),
    menu, nav,
    h('div', { class: 'top-right' }, workspaces.length ? switcher : null, signOut));
}

start().catch((e) => {
  clear(main, errorBox(e, () => location.reload()));
});
