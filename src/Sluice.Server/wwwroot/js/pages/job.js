// One job: outcome, stats, attempts, and its log tailing live while it runs.
import { h, mount } from '../dom.js';
import { api, stream } from '../api.js';
import { onLeave } from '../main.js';
import { alert, badge, busy, bytes, count, duration, problemAlert, when } from '../components/ui.js';
import { finished, streamStats } from '../components/jobs.js';

export async function jobPage(id) {
  const abort = new AbortController();
  let timer = null;
  onLeave(() => { abort.abort(); clearTimeout(timer); });
  const summary = h('div');
  const log = h('pre.log', { 'data-testid': 'job-log' });
  const follow = h('span.muted', { 'data-testid': 'log-state' }, 'following…');

  const actions = h('div.actions');
  async function refresh() {
    const job = await api.get(`/jobs/${id}`);
    mount(actions, finished(job) ? null : h('button.danger', { type: 'button', onclick: e => busy(e.target, 'Cancelling…', async () => {
      try { await api.post(`/jobs/${id}/cancel`); } catch (err) { summary.prepend(problemAlert(err)); }
    }) }, 'Cancel job'));
    mount(summary,
      h('div.cards',
        h('div.card.stat', h('small', 'Outcome'), h('div', { 'data-testid': 'job-status' }, badge(job.status))),
        h('div.card.stat', h('small', 'Records'), h('div', { 'data-testid': 'job-records' }, count(job.stats?.recordsCommitted))),
        h('div.card.stat', h('small', 'Bytes read'), h('div', bytes(job.stats?.bytesRead))),
        h('div.card.stat', h('small', 'Duration'), h('div', duration(job.startedAt, job.endedAt)))),
      h('p.muted', `Created ${when(job.createdAt)} · ${job.attempts} attempt(s) · `, h('a', { href: `/connections/${job.connectionId}` }, 'connection')),
      job.error ? alert('error', 'Failed:', job.error) : null,
      streamStats(job.stats));
    if (!finished(job) && !abort.signal.aborted) timer = setTimeout(() => refresh().catch(() => {}), 1500);
  }
  await refresh();

  // The server streams the log (?follow=true) until the job ends; append as chunks arrive and keep the end in view.
  stream(`/jobs/${id}/logs`, { follow: true }, chunk => {
    const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
    log.append(chunk);
    if (atEnd) log.scrollTop = log.scrollHeight;
  }, abort.signal).then(() => {
    follow.textContent = 'complete';
    if (!log.textContent) log.textContent = '(no log lines)';
  }, err => { if (!abort.signal.aborted) follow.replaceChildren(problemAlert(err)); });

  return h('div', h('div.page-header', h('h1', `Job #${id}`), actions), summary, h('h2', 'Log ', follow), log);
}
