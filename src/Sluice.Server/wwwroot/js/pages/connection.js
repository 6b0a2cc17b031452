// One connection: status, last sync, next run, sync now, pause, edit, reset (all or one stream), its streams, job
// history with per-stream stats, schema changes seen, and the running job's log tailing live.
import { h, mount } from '../dom.js';
import { api, pageSize, stream } from '../api.js';
import { navigate, onLeave } from '../main.js';
import { alert, badge, busy, count, empty, pageHeader, problemAlert, table, when } from '../components/ui.js';
import { describe, fireTime } from '../components/schedule.js';
import { finished, jobsTable, streamStats } from '../components/jobs.js';
import { streamKey } from '../components/streams.js';
import { policies, policyName } from '../components/connectionform.js';

export async function connectionPage(id) {
  const root = h('div');
  let timer = null;
  let stopped = false;
  let logAbort = null;
  let following = null;
  onLeave(() => { stopped = true; clearTimeout(timer); logAbort?.abort(); });
  const message = h('div');
  const say = el => message.replaceChildren(el);
  let connection = null;

  const sync = h('button.primary', { type: 'button' }, 'Sync now');
  sync.addEventListener('click', () => busy(sync, 'Starting…', async () => {
    try { const job = await api.post(`/connections/${id}/sync`); say(alert('ok', `Sync started (job #${job.id}).`)); await refresh(); } catch (err) { say(problemAlert(err)); }
  }));
  // Resume accepts the schema changes a pause was waiting on (POST /resume); pause stops scheduled syncs.
  const pause = h('button.secondary', { type: 'button' }, 'Pause');
  pause.addEventListener('click', () => busy(pause, 'Saving…', async () => {
    const resuming = connection.status === 'paused';
    try {
      const result = await api.post(`/connections/${id}/${resuming ? 'resume' : 'pause'}`);
      const accepted = result.acceptedChanges?.length ?? 0;
      say(alert('ok', resuming ? 'Resumed.' : 'Paused: no syncs until you resume.', resuming && accepted ? `${accepted} schema change(s) accepted.` : ''));
      await refresh();
    } catch (err) { say(problemAlert(err)); }
  }));
  const edit = h('a.button', { href: `/connections/${id}/edit` }, 'Edit');
  const remove = h('button.danger', { type: 'button', onclick: async () => {
    if (!confirm('Delete this connection? Its job history goes with it.')) return;
    try { await api.del(`/connections/${id}`); navigate('/connections'); } catch (err) { say(problemAlert(err)); }
  } }, 'Delete');

  const resetStream = async (descriptor, button) => busy(button, 'Resetting…', async () => {
    const what = descriptor ? `stream ${streamKey(descriptor)}` : 'every stream';
    if (!confirm(`Reset the saved state of ${what}? Its next sync reads from the start.`)) return;
    try {
      await api.post(`/connections/${id}/reset`, undefined, descriptor ? { stream: descriptor.name, namespace: descriptor.namespace } : {});
      say(alert('ok', `State of ${what} reset: the next sync reads it from the start.`));
    } catch (err) { say(problemAlert(err)); }
  });
  const reset = h('button.secondary', { type: 'button', onclick: e => resetStream(null, e.currentTarget) }, 'Reset all');

  const body = h('div');
  const logBox = h('div');
  // The history refreshes while a job runs, so "Load older jobs" asks for a longer first page rather than following a
  // cursor: new jobs at the top never open a gap between the pages.
  let jobLimit = pageSize();
  const olderJobs = h('button.secondary.small', { type: 'button', 'data-testid': 'load-more' }, 'Load older jobs');
  olderJobs.addEventListener('click', () => busy(olderJobs, 'Loading…', async () => {
    jobLimit = Math.min(1000, jobLimit + pageSize());
    try { await refresh(); } catch (err) { say(problemAlert(err)); }
  }));

  function followLog(job) {
    if (following === job.id) return;
    following = job.id;
    logAbort?.abort();
    logAbort = new AbortController();
    const pre = h('pre.log', { 'data-testid': 'live-log' });
    const state = h('span.muted', 'following…');
    mount(logBox, h('h2', `Log of job #${job.id} `, state), pre);
    stream(`/jobs/${job.id}/logs`, { follow: true }, chunk => {
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
      pre.append(chunk);
      if (atEnd) pre.scrollTop = pre.scrollHeight;
    }, logAbort.signal).then(() => { state.textContent = 'complete'; }, err => { if (!logAbort.signal.aborted) state.replaceChildren(problemAlert(err)); });
  }

  async function refresh() {
    clearTimeout(timer);
    const [c, jobs, changes] = await Promise.all([api.get(`/connections/${id}`), api.get(`/connections/${id}/jobs`, { limit: jobLimit }),
      api.get(`/connections/${id}/schema-changes`, { limit: 20 }).catch(() => null)]);
    connection = c;
    const [source, destination, next] = await Promise.all([
      api.get(`/sources/${c.sourceId}`).catch(() => null), api.get(`/destinations/${c.destinationId}`).catch(() => null),
      c.schedule && c.status !== 'paused' ? api.get('/schedules/preview', { schedule: c.schedule, timezone: c.timeZone ?? 'UTC', count: 1 }).catch(() => null) : null]);
    const items = jobs.items ?? jobs;
    const last = items[0];
    const lastDone = items.find(finished);
    const streams = c.catalog?.streams ?? [];
    pause.textContent = c.status === 'paused' ? 'Resume' : 'Pause';
    const policy = policies.find(p => p[0] === policyName(c.schemaChangePolicy));
    mount(body,
      h('div.cards',
        h('div.card.stat', h('small', 'Status'), h('div', { 'data-testid': 'connection-status' }, badge(c.status))),
        h('div.card.stat', h('small', 'Last sync'), h('div', { 'data-testid': 'last-sync' }, last ? [badge(last.status), ' ', h('span.when', when(last.startedAt ?? last.createdAt))] : 'never')),
        h('div.card.stat', h('small', 'Schedule'), h('div', { 'data-testid': 'connection-schedule' }, describe(c.schedule), c.schedule && c.timeZone && c.timeZone !== 'UTC' ? h('small.muted', ' ' + c.timeZone) : null),
          h('small.next', { 'data-testid': 'connection-next-run' }, next?.next?.length ? 'next: ' + fireTime(next.next[0], next.timeZone) : c.schedule ? (c.status === 'paused' ? 'paused' : '') : 'sync by hand')),
        h('div.card.stat', h('small', 'Records last run'), h('div', count(lastDone?.stats?.recordsCommitted)))),
      c.status === 'paused' && (changes?.items ?? []).some(x => x.action === 'paused')
        ? alert('error', 'Paused for schema changes:', 'review them below, then press Resume to accept them (or edit the connection first).') : null,
      h('p.muted.route', 'From ', h('a', { href: `/sources/${c.sourceId}` }, source?.name ?? 'source'), ' to ', h('a', { href: `/destinations/${c.destinationId}` }, destination?.name ?? 'destination'),
        c.namespace ? ` · namespace ${c.namespace}` : '', c.prefix ? ` · table prefix ${c.prefix}` : '', ` · schema changes: ${policy?.[1].toLowerCase() ?? c.schemaChangePolicy}`),
      h('h2', 'Streams'),
      streams.length ? table(['Stream', 'Sync mode', 'Cursor', 'Primary key', 'Columns', ''], streams.map(s => h('tr', { 'data-stream': s.stream.name },
        h('td', h('strong', streamKey(s.stream)), s.destination_object_name ? h('small.muted', ' → ' + s.destination_object_name) : null),
        h('td', `${s.sync_mode.replace('_', ' ')} | ${s.destination_sync_mode.replace('_', ' ')}`),
        h('td', s.cursor_field?.join('.') || '—'),
        h('td', (s.primary_key ?? []).map(p => p.join('.')).join(', ') || '—'),
        h('td', (s['x-sluice-selected-columns']?.length ?? (s.stream['x-sluice-columns'] ?? []).length) + ' of ' + (s.stream['x-sluice-columns'] ?? []).length,
          s['x-sluice-mappings']?.length ? h('small.muted', ` · ${s['x-sluice-mappings'].length} mapped`) : null),
        h('td.actions', h('button.secondary.small', { type: 'button', onclick: e => resetStream(s.stream, e.currentTarget) }, 'Reset')))), { testid: 'connection-streams' })
        : empty('No streams', 'Edit the connection and discover the source schema to choose streams.'),
      changes ? schemaChanges(changes) : null,
      h('h2', 'Jobs'),
      items.length ? [jobsTable(items), h('div.load-more', jobs.nextCursor && jobLimit < 1000 ? olderJobs : null, h('small.muted', { 'data-testid': 'jobs-table-count' }, `${items.length} shown`))]
        : empty('No syncs yet', 'Press "Sync now" to copy the data, or give the connection a schedule.'),
      lastDone ? [h('h2', `Streams of job #${lastDone.id}`), streamStats(lastDone.stats)] : null);
    root.firstChild.querySelector('h1').textContent = c.name;
    if (last && !finished(last)) followLog(last);
    if (!stopped && last && !finished(last)) timer = setTimeout(() => refresh().catch(() => {}), 1500);
  }
  mount(root, pageHeader('Connection', sync, pause, edit, reset, remove), message, body, logBox);
  await refresh();
  return root;
}

// The schema changes each sync found (added, removed or retyped columns and streams) and what the policy did.
function schemaChanges(changes) {
  const list = changes.items ?? changes;
  return [h('h2', 'Schema changes'), list.length === 0
    ? h('p.muted', { 'data-testid': 'schema-changes' }, 'None seen yet. Each sync compares the source\'s schema with the last one it saw.')
    : table(['Seen', 'Stream', 'Change', 'Outcome'], list.map(x => h('tr',
      h('td', when(x.at), x.jobId ? h('small.muted', [' · ', h('a', { href: `/jobs/${x.jobId}` }, '#' + x.jobId)]) : null),
      h('td', (x.streamNamespace ? x.streamNamespace + '.' : '') + x.stream),
      h('td', h('strong', String(x.kind ?? '').replaceAll('_', ' ')), x.column ? ` ${x.column}` : '', x.oldType && x.newType ? ` (${x.oldType} → ${x.newType})` : x.newType || x.oldType ? ` (${x.newType ?? x.oldType})` : '',
        x.message ? h('div', h('small.muted', x.message)) : null),
      h('td', badge(x.action, x.action === 'applied' ? 'succeeded' : x.action === 'paused' ? 'failed' : 'paused')))), { testid: 'schema-changes' })];
}
