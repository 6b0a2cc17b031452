// The shell: who is signed in, the workspace switcher, the navigation, and a small path router (deep links work
// because the server answers every non-API path with index.html).
import { h, mount } from './dom.js';
import { api, ApiError, getWorkspace, setWorkspace, onUnauthorized } from './api.js';
import { alert, problemAlert } from './components/ui.js';
import { loginPage } from './pages/login.js';
import { actorsPage } from './pages/actors.js';
import { actorEditPage } from './pages/actoredit.js';
import { connectionsPage } from './pages/connections.js';
import { connectionNewPage } from './pages/connectionnew.js';
import { connectionPage } from './pages/connection.js';
import { connectionEditPage } from './pages/connectionedit.js';
import { jobPage } from './pages/job.js';
import { settingsPage } from './pages/settings.js';
import { dagsPage } from './pages/dags.js';
import { dagPage } from './pages/dag.js';

const routes = [
  [/^\/$/, () => navigate('/connections', true)],
  [/^\/connections$/, () => connectionsPage()],
  [/^\/connections\/new$/, () => connectionNewPage()],
  [/^\/connections\/([^/]+)\/edit$/, id => connectionEditPage(id)],
  [/^\/connections\/([^/]+)$/, id => connectionPage(id)],
  [/^\/jobs\/(\d+)$/, id => jobPage(id)],
  [/^\/(sources|destinations)$/, kind => actorsPage(kind)],
  [/^\/(sources|destinations)\/new$/, kind => actorEditPage(kind, null)],
  [/^\/(sources|destinations)\/([^/]+)$/, (kind, id) => actorEditPage(kind, id)],
  [/^\/dags$/, () => dagsPage()],
  [/^\/dags\/([^/]+)$/, name => dagPage(decodeURIComponent(name))],
  [/^\/settings(?:\/(users|tokens|workspaces|workers|audit))?$/, tab => settingsPage(tab ?? 'users')],
];

const app = document.getElementById('app');
let me = null;
let cleanup = null;

export function navigate(path, replace = false) {
  history[replace ? 'replaceState' : 'pushState'](null, '', path);
  render();
}

/** The signed-in user's role per workspace name. */
export const currentRoles = () => me?.roles ?? {};

/** Re-reads the signed-in user (after a new workspace, say) and redraws the top bar, leaving the page as it is. */
export async function refreshMe() {
  me = await api.get('/auth/me');
  app.querySelector('header.topbar')?.replaceWith(shell(location.pathname));
}

// A message for the next page shown ("Saved."), for actions that end by navigating.
let pending = null;
export function flash(kind, title, detail) { pending = { kind, title, detail }; }

// Pages register a function that stops their timers and streams when the user leaves them.
export function onLeave(fn) { cleanup = fn; }

async function render() {
  cleanup?.();
  cleanup = null;
  if (!me) {
    try { me = await api.get('/auth/me'); } catch (e) {
      if (e instanceof ApiError && e.status === 401) return mount(app, loginPage(async () => { me = await api.get('/auth/me'); render(); }));
      return mount(app, h('main.content', problemAlert(e)));
    }
  }
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const main = h('main.content');
  mount(app, shell(path), main);
  for (const [pattern, page] of routes) {
    const m = pattern.exec(path);
    if (!m) continue;
    const message = pending;
    pending = null;
    try {
      const el = await page(...m.slice(1));
      if (el) mount(main, message ? alert(message.kind, message.title, message.detail) : null, el);
    } catch (e) {
      mount(main, problemAlert(e));
    }
    return;
  }
  mount(main, h('div.empty', h('h3', 'Page not found'), h('p', 'Nothing lives at ' + path + '. '), h('a', { href: '/connections' }, 'Go to connections')));
}

function shell(path) {
  const nav = [['/connections', 'Connections'], ['/sources', 'Sources'], ['/destinations', 'Destinations'], ['/dags', 'DAGs'], ['/settings', 'Settings']];
  const workspaces = Object.keys(me.roles ?? {});
  if (!workspaces.includes(getWorkspace())) setWorkspace(workspaces[0] ?? 'default');
  const switcher = h('select.workspace', { 'aria-label': 'Workspace', onchange: e => { setWorkspace(e.target.value); navigate('/connections'); } },
    workspaces.map(w => h('option', { value: w, selected: w === getWorkspace() }, w)));
  return h('header.topbar',
    h('a.brand', { href: '/' }, h('span.logo', '≋'), ' Sluice'),
    h('nav', nav.map(([href, text]) => h('a', { href, class: path.startsWith(href) ? 'active' : '' }, text))),
    h('div.spacer'),
    h('label.ws', 'Workspace ', switcher),
    h('span.user', { 'data-testid': 'current-user' }, me.name, ' · ', me.roles?.[getWorkspace()] ?? ''),
    h('button.link', { onclick: async () => { await api.post('/auth/logout').catch(() => {}); me = null; render(); } }, 'Sign out'));
}

// Links inside the app navigate without a page load.
document.addEventListener('click', e => {
  const a = e.target.closest('a[href]');
  if (!a || a.target || e.ctrlKey || e.metaKey || e.shiftKey || a.origin !== location.origin || a.pathname.startsWith('/api') || a.hasAttribute('download')) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
});
window.addEventListener('popstate', render);
onUnauthorized.addEventListener('unauthorized', () => { if (me) { me = null; render(); } });
render();
