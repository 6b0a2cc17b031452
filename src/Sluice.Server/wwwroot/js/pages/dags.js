// DAGs: each with its schedule, last run, next run, trigger and pause; and a box to apply a DAG written in YAML.
import { h } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { navigate } from '../main.js';
import { alert, badge, busy, empty, pageHeader, problemAlert, when } from '../components/ui.js';
import { firstPage, pagedTable } from '../components/pager.js';
import { describe, fireTime } from '../components/schedule.js';

export async function dagsPage() {
  const page = await firstPage('/dags');
  const dags = itemsOf(page);
  const message = h('div');
  const act = (label, progress, work) => h('button.secondary.small', { type: 'button', onclick: e => busy(e.currentTarget, progress, async () => {
    try { await work(); } catch (err) { message.replaceChildren(problemAlert(err)); }
  }) }, label);
  const href = d => '/dags/' + encodeURIComponent(d.name);
  const list = dags.length === 0
    ? empty('No DAGs yet', 'A DAG is a set of tasks (syncs, SQL, commands, HTTP calls) run in dependency order on a schedule. Paste one below, or use `sluice apply -f DIR`. A connection with a schedule also gets one.')
    : pagedTable({ path: '/dags', page, testid: 'dags-table', columns: ['DAG', 'Schedule', 'Tasks', 'Last run', 'Next run', 'State', ''], row: d => h('tr', { 'data-dag': d.name },
      h('td', h('a', { href: href(d) }, d.name), h('small.muted', ` v${d.version}`)),
      h('td', describe(d.schedule), h('br'), h('code.small', d.schedule)),
      h('td.num', d.tasks),
      h('td', { 'data-testid': 'last-run' }, d.lastRun ? [h('a', { href: `${href(d)}?run=${d.lastRun.id}` }, badge(d.lastRun.state)), ' ', h('small.muted', when(d.lastRun.createdAt))] : h('span.muted', 'never')),
      h('td', { 'data-testid': 'next-run' }, d.nextRunAt ? fireTime(d.nextRunAt) : h('span.muted', d.paused ? 'paused' : 'when triggered')),
      h('td', d.paused ? badge('paused') : badge('active')),
      h('td.actions',
        act('Trigger', 'Triggering…', async () => { const r = await api.post(`/dags/${encodeURIComponent(d.name)}/trigger`, {}); navigate(`${href(d)}?run=${r.id}`); }),
        act(d.paused ? 'Unpause' : 'Pause', d.paused ? 'Unpausing…' : 'Pausing…', async () => { await api.post(`/dags/${encodeURIComponent(d.name)}/${d.paused ? 'unpause' : 'pause'}`); navigate('/dags', true); }))) });

  const yaml = h('textarea.yaml', { rows: 10, 'aria-label': 'DAG YAML', spellcheck: false,
    placeholder: 'name: nightly\nschedule: "0 3 * * *"\ntasks:\n  - id: extract\n    type: command\n    command: "true"' });
  const apply = h('button.primary', { type: 'button' }, 'Apply');
  const applyResult = h('div');
  apply.addEventListener('click', () => busy(apply, 'Applying…', async () => {
    applyResult.replaceChildren();
    try {
      await api.postText('/dags', yaml.value, 'application/yaml');
      navigate('/dags', true);
    } catch (err) {
      const errors = Array.isArray(err.problem?.errors) ? err.problem.errors : [];
      applyResult.replaceChildren(...[problemAlert(err), errors.length ? h('ul.errors', errors.map(e => h('li', e))) : null].filter(Boolean));
    }
  }));
  return h('div', pageHeader('DAGs'), message, list,
    h('h2', 'Apply a DAG'),
    h('div.card', yaml, applyResult, h('div.form-actions', h('small.help', 'YAML as in docs/orchestration.md. A new definition with the same name becomes a new version. Schedules: cron ("0 3 * * *"), a preset (@daily), "@every 10m" or "manual".'), h('div.spacer'), apply)));
}
