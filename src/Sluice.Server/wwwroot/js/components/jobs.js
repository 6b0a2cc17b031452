// Job rows and per-stream statistics, shared by the connection page and the job page.
import { h } from '../dom.js';
import { badge, bytes, count, duration, table, when } from './ui.js';

export const finished = job => ['succeeded', 'failed', 'cancelled'].includes(job.status);

export function jobsTable(jobs) {
  return table(['Job', 'Started', 'Outcome', 'Records', 'Bytes', 'Duration'], jobs.map(j => h('tr', { 'data-job': j.id },
    h('td', h('a', { href: `/jobs/${j.id}` }, '#' + j.id)),
    h('td', when(j.startedAt ?? j.createdAt)),
    h('td', badge(j.status), j.error ? h('small.error-text', ' ' + j.error) : null),
    h('td.num', count(j.stats?.recordsCommitted)),
    h('td.num', bytes(j.stats?.bytesRead)),
    h('td', duration(j.startedAt, j.endedAt)))), { testid: 'jobs-table' });
}

export function streamStats(stats) {
  const streams = Object.entries(stats?.streams ?? {});
  if (streams.length === 0) return h('p.muted', 'No per-stream statistics yet.');
  return table(['Stream', 'Records read', 'Records committed', 'Bytes read'], streams.map(([name, s]) => h('tr',
    h('td', name), h('td.num', count(s.recordsRead)), h('td.num', count(s.recordsCommitted)), h('td.num', bytes(s.bytesRead)))), { testid: 'stream-stats' });
}
