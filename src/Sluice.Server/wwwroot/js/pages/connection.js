// One connection: status, last sync, sync now, reset, job history and per-stream stats; refreshes while a job runs.
import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { navigate, onLeave } from '../main.js';
import { alert, badge, busy, count, empty, pageHeader, problemAlert, when } from '../components/ui.js';
import { describe } from '../components/schedule.js';
import { finished, jobsTable, streamStats } from '../components/jobs.js';

export async function connectionPage(id) {
  const root = h('div');
  let timer = null;
  let stopped = false;
  onLeave(() => { stopped = true; clearTimeout(timer); });
  const message = h('div');

  const sync = h('button.primary', { type: 'button' }, 'Sync now');
  sync.addEventListener('click', () => busy(sync, 'Starting…', async () => {
    try { await api.post(`/connections/${id}/sync`); message.replaceChildren(alert('ok', 'Sync started.')); await refresh(); } catch (err) { message.replaceChildren(problemAlert(err)); }
  }));
  const reset = h('button.secondary', { type: 'button' }, 'Reset state');
  reset.addEventListener('click', () => busy(reset, 'Resetting…', async () => {
    if (!confirm('Reset the saved state? The next sync reads every stream from the start.')) return;
    try { await api.post(`/connections/${id}/reset`); message.replaceChildren(alert('ok', 'State reset: the next sync starts from scratch.')); } catch (err) { message.replaceChildren(problemAlert(err)); }
  }));
  const remove = h('button.danger', { type: 'button', onclick: async () => {
    if (!confirm('Delete this connection? Its job history goes with it.')) return;
    try { await api.del(`/connections/${id}`); navigate('/connections'); } catch (err) { message.replaceChildren(problemAlert(err)); }
  } }, 'Delete');

  const body = h('div');
  async function refresh() {
    const [c, jobs] = await Promise.all([api.get(`/connections/${id}`), api.get(`/connections/${id}/jobs`, { limit: 25 })]);
    const [source, destination] = await Promise.all([api.get(`/sources/${c.sourceId}`).catch(() => null), api.get(`/destinations/${c.destinationId}`).catch(() => null)]);
    const last = jobs.items[0];
    const lastDone = jobs.items.find(finished);
    const streams = c.catalog?.streams ?? [];
    mount(body,
      h('div.cards',
        h('div.card.stat', h('small', 'Status'), h('div', badge(c.status))),
        h('div.card.stat', h('small', 'Last sync'), h('div', { 'data-testid': 'last-sync' }, last ? [badge(last.status), ' ', when(last.startedAt ?? last.createdAt)] : 'never')),
        h('div.card.stat', h('small', 'Schedule'), h('div', describe(c.schedule))),
        h('div.card.stat', h('small', 'Records last run'), h('div', count(lastDone?.stats?.recordsCommitted)))),
      h('p.muted', h('a', { href: `/sources/${c.sourceId}` }, source?.name ?? 'source'), ' → ', h('a', { href: `/destinations/${c.destinationId}` }, destination?.name ?? 'destination'),
        ` · ${streams.length} stream(s): `, streams.map(s => s.stream.name).join(', '),
        ` · schema changes: ${c.schemaChangePolicy}`, c.prefix ? ` · prefix ${c.prefix}` : '', c.namespace ? ` · namespace ${c.namespace}` : ''),
      h('h2', 'Jobs'),
      jobs.items.length ? jobsTable(jobs.items) : empty('No syncs yet', 'Press "Sync now" to copy the data, or give the connection a schedule.'),
      lastDone ? [h('h2', `Streams of job #${lastDone.id}`), streamStats(lastDone.stats)] : null);
    root.firstChild.querySelector('h1').textContent = c.name;
    if (!stopped && last && !finished(last)) timer = setTimeout(() => refresh().catch(() => {}), 1500);
  }
  mount(root, pageHeader('Connection', sync, reset, remove), message, body);
  await refresh();
  return root;
}
