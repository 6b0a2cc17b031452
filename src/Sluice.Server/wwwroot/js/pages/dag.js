// One DAG: the grid of runs × tasks coloured by state (refreshing while runs are active), trigger, pause, task logs.
import { h, mount } from '../dom.js';
import { api, stream } from '../api.js';
import { onLeave } from '../main.js';
import { badge, busy, empty, pageHeader, problemAlert, when } from '../components/ui.js';

const active = s => !['success', 'failed', 'skipped', 'upstream_failed'].includes(s);

export async function dagPage(name) {
  const path = '/dags/' + encodeURIComponent(name);
  let timer = null;
  let logAbort = null;
  onLeave(() => { clearTimeout(timer); logAbort?.abort(); });
  const message = h('div');
  const grid = h('div.grid-box');
  const logBox = h('div');
  const header = pageHeader(name);

  async function showLog(run, task) {
    logAbort?.abort();
    logAbort = new AbortController();
    const pre = h('pre.log', { 'data-testid': 'task-log' });
    mount(logBox, h('h2', `Log of ${task} in run #${run.id}`), pre);
    stream(`/runs/${run.id}/tasks/${encodeURIComponent(task)}/logs`, { follow: true }, chunk => pre.append(chunk), logAbort.signal)
      .then(() => { if (!pre.textContent) pre.textContent = '(no log lines)'; }, err => { if (!logAbort.signal.aborted) logBox.append(problemAlert(err)); });
  }

  async function refresh() {
    const dag = await api.get(path);
    const runs = (await api.get(path + '/runs', { limit: 20 })).slice().reverse();
    const tasksByRun = await Promise.all(runs.map(r => api.get(`/runs/${r.id}/tasks`)));
    const order = [];
    tasksByRun.flat().forEach(t => { if (!order.includes(t.taskId)) order.push(t.taskId); });
    mount(header.querySelector('.actions'),
      dag.paused ? badge('paused') : badge('active'),
      h('button.primary', { type: 'button', onclick: e => busy(e.target, 'Triggering…', async () => {
        try { await api.post(path + '/trigger', {}); await refresh(); } catch (err) { message.replaceChildren(problemAlert(err)); }
      }) }, 'Trigger'),
      h('button.secondary', { type: 'button', onclick: e => busy(e.target, '…', async () => {
        try { await api.post(`${path}/${dag.paused ? 'unpause' : 'pause'}`); await refresh(); } catch (err) { message.replaceChildren(problemAlert(err)); }
      }) }, dag.paused ? 'Unpause' : 'Pause'));
    if (runs.length === 0) {
      mount(grid, empty('No runs yet', 'Press "Trigger" to run the DAG now, or wait for its schedule.'));
    } else {
      const cell = (run, tasks, id) => {
        const t = tasks.find(x => x.taskId === id);
        const state = t?.state ?? 'none';
        return h('td', h('button.cell', { type: 'button', class: 'cell-' + state, 'data-state': state, title: `${id}: ${state}${t?.error ? ' — ' + t.error : ''}`,
          'aria-label': `${id} in run ${run.id}: ${state}`, onclick: () => t && showLog(run, id) }));
      };
      mount(grid, h('table.grid', { 'data-testid': 'dag-grid' },
        h('thead', h('tr', h('th', 'Task \\ run'), runs.map(r => h('th', { 'data-run': r.id, title: `${r.runType} · ${when(r.createdAt)}` }, h('span.run-state', { class: 'cell-' + r.state, 'data-state': r.state }), '#' + r.id)))),
        h('tbody', order.map(id => h('tr', { 'data-task': id }, h('th', id), runs.map((r, i) => cell(r, tasksByRun[i], id)))))),
      h('div.legend', ['queued', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped'].map(s => h('span', h('i.cell', { class: 'cell-' + s }), ' ' + s))));
    }
    const busyRuns = runs.some(r => active(r.state)) || tasksByRun.flat().some(t => active(t.state));
    if (busyRuns) timer = setTimeout(() => refresh().catch(() => {}), 1500);
  }
  await refresh();
  return h('div', header, message, h('p.muted', 'Each column is a run (newest on the right), each row a task. Click a cell for its log.'), grid, logBox);
}
