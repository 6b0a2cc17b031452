// Settings (admins): users and their roles, API tokens (shown once, revocable), and the audit log.
import { h } from '../dom.js';
import { api, getWorkspace, itemsOf } from '../api.js';
import { currentRoles, refreshMe } from '../main.js';
import { alert, badge, busy, empty, pageHeader, problemAlert, table, when } from '../components/ui.js';
import { firstPage, moreButton, pagedTable } from '../components/pager.js';

export async function settingsPage(tab) {
  const tabs = [['users', 'Users and roles'], ['tokens', 'API tokens'], ['workspaces', 'Workspaces'], ['workers', 'Workers'], ['audit', 'Audit log']];
  const content = await ({ users, tokens, workspaces, workers, audit })[tab]().catch(err =>
    err.status === 403 ? alert('info', 'Only administrators can see this.', 'Ask an admin of this workspace for access.') : problemAlert(err));
  return h('div', pageHeader('Settings'),
    h('nav.tabs', tabs.map(([t, text]) => h('a', { href: '/settings/' + t, class: t === tab ? 'active' : '' }, text))),
    content);
}

const roleSelect = (value = 'viewer', label = 'Role') =>
  h('select', { 'aria-label': label }, ['viewer', 'editor', 'admin'].map(r => h('option', { value: r, selected: r === value }, r)));

function inlineForm(fields, button, submit) {
  const message = h('div');
  const form = h('form.card.inline-form', { novalidate: true, onsubmit: e => {
    e.preventDefault();
    busy(button, 'Working…', async () => {
      message.replaceChildren();
      try { await submit(message); } catch (err) {
        message.replaceChildren(problemAlert(err), ...Object.entries(err.errors ?? {}).map(([k, v]) => h('div.field-error', `${k}: ${v.join('; ')}`)));
      }
    });
  } }, h('div.row', fields, button), message);
  return form;
}

async function users() {
  const ws = getWorkspace();
  const name = h('input', { placeholder: 'user name', 'aria-label': 'New user name' });
  const password = h('input', { type: 'password', placeholder: 'password', 'aria-label': 'New user password', autocomplete: 'new-password' });
  const role = roleSelect('viewer', 'New user role');
  const body = h('tbody');
  const rowMessage = h('div');
  // Roles are per workspace: this table edits the role in the current one and keeps the others as they are.
  const save = async (u, changes, button) => busy(button, 'Saving…', async () => {
    try {
      await api.put('/users/' + u.id, { ...changes, version: u.version });
      rowMessage.replaceChildren(alert('ok', `User ${u.name} updated.`));
    } catch (err) { rowMessage.replaceChildren(problemAlert(err)); }
    // Only this row is redrawn, so rows loaded with "Load more" stay.
    body.querySelector(`tr[data-user="${CSS.escape(u.name)}"]`)?.replaceWith(userRow(await api.get('/users/' + u.id)));
  });
  const userRow = u => {
    const select = h('select', { 'aria-label': `Role of ${u.name}` }, h('option', { value: '' }, 'no access'),
      ['viewer', 'editor', 'admin'].map(r => h('option', { value: r, selected: u.roles[ws] === r }, r)));
    const apply = h('button.secondary.small', { type: 'button', hidden: true }, 'Save role');
    select.addEventListener('change', () => { apply.hidden = select.value === (u.roles[ws] ?? ''); });
    apply.addEventListener('click', () => {
      const roles = { ...u.roles };
      if (select.value) roles[ws] = select.value; else delete roles[ws];
      save(u, { roles }, apply);
    });
    const others = Object.entries(u.roles).filter(([w]) => w !== ws);
    return h('tr', { 'data-user': u.name },
      h('td', h('strong', u.name)),
      h('td', h('span.inline', select, apply)),
      h('td', others.length ? others.map(([w, r]) => h('span.ws-role', badge(r, 'role'), ' ', w)) : h('span.muted', '—')),
      h('td', u.disabled ? badge('disabled', 'failed') : badge('active')),
      h('td', when(u.createdAt)),
      h('td.actions', h('button.small', { type: 'button', class: u.disabled ? 'secondary' : 'danger', onclick: e => save(u, { disabled: !u.disabled }, e.currentTarget) }, u.disabled ? 'Enable' : 'Disable')));
  };
  const more = h('div');
  const draw = async () => {
    const page = await firstPage('/users');
    const shown = h('small.muted', { 'data-testid': 'users-table-count' });
    const add = items => { body.append(...items.map(userRow)); shown.textContent = `${body.children.length} shown`; };
    body.replaceChildren();
    add(itemsOf(page));
    more.replaceChildren(moreButton('/users', {}, page, add));
    more.firstChild.append(shown);
  };
  await draw();
  const add = h('button.primary', { type: 'submit' }, 'Add user');
  return h('div',
    inlineForm([name, password, role], add, async message => {
      await api.post('/users', { name: name.value, password: password.value, roles: { [ws]: role.value } });
      await draw();
      message.replaceChildren(alert('ok', `User ${name.value} created with role ${role.value} in ${ws}.`));
      name.value = ''; password.value = '';
    }),
    rowMessage,
    h('table.table', { 'data-testid': 'users-table' }, h('thead', h('tr', h('th', 'Name'), h('th', `Role in ${ws}`), h('th', 'Other workspaces'), h('th', 'State'), h('th', 'Created'), h('th', ''))), body),
    more,
    h('p.help', 'viewer: reads everything · editor: also creates, changes and runs · admin: also users, tokens, workspaces and the audit log.'));
}

async function workspaces() {
  const name = h('input', { placeholder: 'workspace name, e.g. analytics', 'aria-label': 'New workspace name' });
  const create = h('button.primary', { type: 'submit' }, 'Create workspace');
  const box = h('div');
  const draw = async () => box.replaceChildren(table(['Name', 'Your role', 'Created'], itemsOf(await api.get('/workspaces')).map(w => h('tr', { 'data-workspace': w.name },
    h('td', h('strong', w.name), w.name === getWorkspace() ? h('small.muted', ' (current)') : null),
    h('td', currentRoles()[w.name] ? badge(currentRoles()[w.name], 'role') : h('span.muted', '—')),
    h('td', when(w.createdAt)))), { testid: 'workspaces-table' }));
  await draw();
  return h('div',
    inlineForm([name], create, async message => {
      await api.post('/workspaces', { name: name.value });
      message.replaceChildren(alert('ok', `Workspace ${name.value} created; you administer it. Switch to it in the top bar.`));
      name.value = '';
      await refreshMe();
      await draw();
    }),
    box,
    h('p.help', 'Each workspace has its own sources, destinations and connections; roles are given per workspace.'));
}

async function tokens() {
  const name = h('input', { placeholder: 'token name, e.g. ci-deploy', 'aria-label': 'Token name' });
  const role = roleSelect('viewer', 'Token role');
  const days = h('input', { type: 'number', min: 1, placeholder: 'never expires', 'aria-label': 'Expires in days' });
  const listBox = h('div');
  const tokenRow = t => h('tr', { 'data-token': t.name },
    h('td', t.name), h('td', badge(t.role, 'role')), h('td', when(t.createdAt)), h('td', t.expiresAt ? when(t.expiresAt) : 'never'),
    h('td', t.revokedAt ? badge('revoked', 'failed') : badge('active')),
    h('td', t.revokedAt ? null : h('button.danger.small', { type: 'button', onclick: async e => {
      if (!confirm(`Revoke token "${t.name}"? Scripts using it stop working at once.`)) return;
      await busy(e.target, 'Revoking…', () => api.del('/tokens/' + t.id));
      await draw();
    } }, 'Revoke')));
  const draw = async () => {
    const page = await firstPage('/tokens');
    listBox.replaceChildren(itemsOf(page).length === 0
      ? empty('No API tokens', 'Scripts and CI use a token in the Authorization: Bearer header. Create one above; it is shown only once.')
      : pagedTable({ path: '/tokens', page, testid: 'tokens-table', columns: ['Name', 'Role', 'Created', 'Expires', 'State', ''], row: tokenRow }));
  };
  await draw();
  const create = h('button.primary', { type: 'submit' }, 'Create token');
  return h('div',
    inlineForm([name, role, days], create, async message => {
      const made = await api.post('/tokens', { name: name.value, role: role.value, expiresInDays: days.value ? Number(days.value) : null });
      const secret = h('code.secret', { 'data-testid': 'new-token' }, made.token);
      message.replaceChildren(h('div.alert.alert-ok', { role: 'status' }, h('strong', 'Token created. Copy it now: it is not shown again.'), h('div', secret, ' ',
        h('button.secondary.small', { type: 'button', onclick: () => navigator.clipboard?.writeText(made.token) }, 'Copy'))));
      name.value = '';
      await draw();
    }),
    listBox);
}

// The processes of the install: workers with their slots, queues and running tasks, and the scheduler holding the lease.
async function workers() {
  let view;
  try { view = await api.get('/workers'); } catch (err) {
    if (err.status === 404) return empty('No worker registry', 'This server does not report its workers. `sluice standalone` runs its worker and scheduler in one process.');
    throw err;
  }
  const member = m => h('tr', { 'data-worker': m.id },
    h('td', h('strong', m.id), h('br'), h('small.muted', `${m.host} · pid ${m.pid}`)),
    h('td', m.alive ? badge(m.state, m.state === 'active' ? 'active' : 'paused') : badge('silent', 'failed')),
    h('td.num', `${m.runningTasks} / ${m.slots}`, m.runningSyncJobs ? h('br') : null, m.runningSyncJobs ? h('small.muted', `+ ${m.runningSyncJobs} sync job${m.runningSyncJobs === 1 ? '' : 's'}`) : null),
    h('td', (m.queues ?? []).join(', ') || 'default', Object.keys(m.labels ?? {}).length ? h('br') : null, Object.entries(m.labels ?? {}).map(([k, v]) => h('small.muted', `${k}=${v} `))),
    h('td', when(m.startedAt)), h('td', when(m.lastHeartbeat)));
  const head = ['Process', 'State', 'Running / slots', 'Queues and labels', 'Started', 'Last heartbeat'];
  const lease = view.scheduler ?? {};
  return h('div',
    h('div.cards',
      h('div.card.stat', h('small', 'Workers alive'), h('div', { 'data-testid': 'workers-alive' }, `${(view.workers ?? []).filter(w => w.alive).length} of ${(view.workers ?? []).length}`)),
      h('div.card.stat', h('small', 'Active scheduler'), h('div', { 'data-testid': 'active-scheduler' }, lease.active ?? 'none'), h('small.next', lease.expired ? 'lease expired: a standby takes over' : `lease until ${when(lease.expiresAt)} · token ${lease.token}`)),
      h('div.card.stat', h('small', 'Standby schedulers'), h('div', String((lease.standbys ?? []).length)))),
    h('h2', 'Workers'),
    view.workers?.length ? table(head, view.workers.map(member), { testid: 'workers-table' })
      : empty('No workers registered', 'Start one with `sluice worker`; it registers here and takes tasks from its queues.'),
    view.schedulers?.length ? [h('h2', 'Schedulers'), table(head, view.schedulers.map(member), { testid: 'schedulers-table' })] : null);
}

async function audit() {
  const page = await firstPage('/audit');
  if (itemsOf(page).length === 0) return empty('Nothing audited yet', 'Every change made through the API or this UI is recorded here.');
  return pagedTable({ path: '/audit', page, testid: 'audit-table', columns: ['When', 'Who', 'Action', 'Target', 'Status'], row: e => h('tr',
    h('td', when(e.at)), h('td', e.actor), h('td', h('code', e.action)), h('td', e.target ?? ''), h('td', badge(String(e.status), e.status < 400 ? 'succeeded' : 'failed'))) });
}
