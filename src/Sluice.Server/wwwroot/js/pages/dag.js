// One DAG: its graph (tasks and dependencies) and grid (runs × tasks coloured by state), refreshing while runs are
// active; trigger with params, backfill a date range, pause; a task instance's details with clear (and downstream),
// mark, and its attempt logs, live.
import { h, mount } from '../dom.js';
import { api, itemsOf, pageSize, stream } from '../api.js';
import { onLeave } from '../main.js';
import { alert, badge, busy, empty, pageHeader, problemAlert, when } from '../components/ui.js';
import { describe, fireTime } from '../components/schedule.js';
import { dagGraph } from '../components/graph.js';

const active = s => !['success', 'failed', 'skipped', 'upstream_failed'].includes(s);
const states = ['queued', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped'];

export async function dagPage(name) {
  const path = '/dags/' + encodeURIComponent(name);
  let timer = null;
  let logAbort = null;
  let stopped = false;
  let picked = null; // { runId, task } shown in the task panel
  let dag = null;
  onLeave(() => { stopped = true; clearTimeout(timer); logAbort?.abort(); });
  const message = h('div');
  const say = el => message.replaceChildren(el);
  const info = h('div');
  const graphBox = h('div.card.graph-box');
  const grid = h('div.grid-box');
  const panel = h('div.panel-box');
  const forms = h('div');
  const header = pageHeader(name);
  // Like the job history, older runs come with a longer first page (the grid refreshes while runs are active).
  let runLimit = Math.min(pageSize(), 25);
  const olderRuns = h('button.secondary.small', { type: 'button', 'data-testid': 'load-more' }, 'Load older runs');
  olderRuns.addEventListener('click', () => busy(olderRuns, 'Loading…', async () => {
    runLimit = Math.min(1000, runLimit + Math.min(pageSize(), 25));
    try { await refresh(); } catch (err) { say(problemAlert(err)); }
  }));
  const selectedRun = Number(new URLSearchParams(location.search).get('run')) || null;

  const trigger = h('button.primary', { type: 'button' }, 'Trigger');
  const backfill = h('button.secondary', { type: 'button' }, 'Backfill');
  const pause = h('button.secondary', { type: 'button' }, 'Pause');
  mount(header.querySelector('.actions'), trigger, backfill, pause);

  trigger.addEventListener('click', () => forms.replaceChildren(triggerForm(dag, async params => {
    const run = await api.post(path + '/trigger', { params });
    forms.replaceChildren();
    say(alert('ok', `Run #${run.id} triggered.`));
    await refresh();
  }, () => forms.replaceChildren())));
  backfill.addEventListener('click', () => forms.replaceChildren(backfillForm(dag, async (from, to) => {
    const runs = await api.post(path + '/backfill', { from, to });
    forms.replaceChildren();
    say(alert('ok', runs.length ? `Backfill created ${runs.length} run(s).` : 'Every interval in that range already has a run: nothing to backfill.'));
    await refresh();
  }, () => forms.replaceChildren())));
  pause.addEventListener('click', () => busy(pause, dag.paused ? 'Unpausing…' : 'Pausing…', async () => {
    try { await api.post(`${path}/${dag.paused ? 'unpause' : 'pause'}`); await refresh(); } catch (err) { say(problemAlert(err)); }
  }));

  async function showTask(run, taskId, note = null) {
    picked = { runId: run.id, task: taskId };
    const tasks = await api.get(`/runs/${run.id}/tasks`);
    const t = tasks.find(x => x.taskId === taskId);
    const result = h('div', note);
    const act = (label, progress, work) => h('button.secondary.small', { type: 'button', onclick: e => busy(e.currentTarget, progress, async () => {
      try { await work(result); await refresh(); } catch (err) { result.replaceChildren(problemAlert(err)); }
    }) }, label);
    const clear = downstream => async out => {
      const r = await api.post(`/runs/${run.id}/tasks/${encodeURIComponent(taskId)}/clear`, undefined, { downstream });
      out.replaceChildren(alert(r.cleared.length ? 'ok' : 'info', r.cleared.length ? `Cleared ${r.cleared.join(', ')}: they run again.` : 'Nothing cleared: only finished tasks can be cleared.'));
      streamLog(run, taskId);
    };
    // Marking ends the task by hand (its run goes on, so downstream tasks may start); the panel shows the new state.
    const mark = state => async () => {
      await api.post(`/runs/${run.id}/tasks/${encodeURIComponent(taskId)}/mark`, { state });
      await showTask(run, taskId, alert('ok', `Marked ${taskId} as ${state}.`));
    };
    const spec = dag.tasks?.find(x => x.id === taskId);
    mount(panel, h('div.card.task-panel', { 'data-testid': 'task-panel' },
      h('div.panel-head', h('h2', `${taskId}`, h('small.muted', ` in run #${run.id}`)), h('span', { 'data-testid': 'task-state' }, t ? badge(t.state) : badge('none')),
        h('div.spacer'), h('button.link', { type: 'button', onclick: () => { picked = null; logAbort?.abort(); panel.replaceChildren(); } }, 'Close')),
      h('p.muted', spec ? `${spec.type} task` : '', spec?.dependsOn?.length ? ` · after ${spec.dependsOn.join(', ')}` : '',
        t ? ` · try ${t.tryNumber || t.attempt || 1}` : '', t?.startedAt ? ` · started ${when(t.startedAt)}` : '', t?.endedAt ? ` · ended ${when(t.endedAt)}` : '',
        t?.exitCode != null ? ` · exit code ${t.exitCode}` : ''),
      t?.error ? alert('error', 'Error:', t.error) : null,
      h('div.actions',
        act('Clear', 'Clearing…', clear(false)),
        act('Clear with downstream', 'Clearing…', clear(true)),
        act('Mark success', 'Marking…', mark('success')),
        act('Mark failed', 'Marking…', mark('failed'))),
      result,
      h('h3', 'Attempt logs ', h('span.muted', { 'data-testid': 'task-log-state' })),
      h('pre.log', { 'data-testid': 'task-log' })));
    streamLog(run, taskId);
  }

  function streamLog(run, taskId) {
    const pre = panel.querySelector('pre.log');
    const state = panel.querySelector('[data-testid=task-log-state]');
    if (!pre) return;
    logAbort?.abort();
    const abort = logAbort = new AbortController();
    pre.textContent = '';
    state.textContent = 'following…';
    stream(`/runs/${run.id}/tasks/${encodeURIComponent(taskId)}/logs`, { follow: true }, chunk => {
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
      pre.append(chunk);
      if (atEnd) pre.scrollTop = pre.scrollHeight;
    }, abort.signal).then(() => { state.textContent = 'complete'; if (!pre.textContent) pre.textContent = '(no log lines yet)'; },
      err => { if (!abort.signal.aborted) state.replaceChildren(problemAlert(err)); });
  }

  async function refresh() {
    clearTimeout(timer);
    dag = await api.get(path);
    const runPage = await api.get(path + '/runs', { limit: runLimit });
    const runs = itemsOf(runPage).slice().reverse();
    const tasksByRun = await Promise.all(runs.map(r => api.get(`/runs/${r.id}/tasks`)));
    pause.textContent = dag.paused ? 'Unpause' : 'Pause';
    mount(info, h('div.cards',
      h('div.card.stat', h('small', 'State'), h('div', { 'data-testid': 'dag-state' }, dag.paused ? badge('paused') : badge('active'))),
      h('div.card.stat', h('small', 'Schedule'), h('div', describe(dag.schedule)), h('small.next', h('code', dag.schedule), dag.timeZone && dag.timeZone !== 'UTC' ? ' · ' + dag.timeZone : '')),
      h('div.card.stat', h('small', 'Next run'), h('div', { 'data-testid': 'dag-next-run' }, dag.nextRunAt ? fireTime(dag.nextRunAt, dag.timeZone || 'UTC') : dag.paused ? 'paused' : 'only when triggered')),
      h('div.card.stat', h('small', 'Version'), h('div', `v${dag.version}`), h('small.next', `${dag.tasks?.length ?? 0} task(s)`))),
    dag.description ? h('p.muted', dag.description) : null);

    const order = (dag.tasks ?? []).map(t => t.id);
    tasksByRun.flat().forEach(t => { if (!order.includes(t.taskId)) order.push(t.taskId); });
    const latest = runs.find(r => r.id === selectedRun) ?? runs[runs.length - 1];
    const latestTasks = latest ? tasksByRun[runs.indexOf(latest)] : [];
    const stateOf = Object.fromEntries(latestTasks.map(t => [t.taskId, t.state]));
    mount(graphBox, h('div.section-head', h('h2.first', 'Graph'), h('small.muted', latest ? `states of run #${latest.id}` : 'no runs yet')),
      dag.tasks?.length ? dagGraph(dag.tasks, stateOf, latest ? id => showTask(latest, id) : null) : h('p.muted', 'No tasks.'));

    if (runs.length === 0) {
      mount(grid, empty('No runs yet', dag.schedule === 'manual'
        ? 'Press "Trigger" to run the DAG now.'
        : 'Press "Trigger" to run it now, "Backfill" to run past intervals, or wait for its schedule.'));
    } else {
      const cell = (run, tasks, id) => {
        const t = tasks.find(x => x.taskId === id);
        const state = t?.state ?? 'none';
        const isPicked = picked?.runId === run.id && picked?.task === id;
        return h('td', h('button.cell', { type: 'button', class: 'cell-' + state + (isPicked ? ' picked' : ''), 'data-state': state, 'data-run': run.id, 'data-run-type': run.runType, title: `${id} in run #${run.id}: ${state}${t?.error ? ' — ' + t.error : ''}`,
          'aria-label': `${id} in run ${run.id}: ${state}`, onclick: () => t && showTask(run, id) }));
      };
      mount(grid, h('div.section-head', h('h2', 'Runs'), h('small.muted', 'Each column is a run, by logical date (latest on the right); each row a task. Click a square for its details and log.'),
        h('div.spacer'), runPage.nextCursor && runLimit < 1000 ? olderRuns : null, h('small.muted', { 'data-testid': 'runs-count' }, `${runs.length} run(s) shown`)),
        h('div.grid-scroll', h('table.grid', { 'data-testid': 'dag-grid' },
          h('thead', h('tr', h('th', ''), runs.map(r => h('th', { 'data-run': r.id, title: `#${r.id} · ${r.runType} · ${r.state}\nlogical date ${when(r.logicalDate)}\ncreated ${when(r.createdAt)}` },
            h('span.run-state', { class: 'cell-' + r.state, 'data-state': r.state }), h('span.run-id', '#' + r.id), h('span.run-type', r.runType === 'backfill' ? 'B' : r.runType === 'manual' ? 'M' : r.runType === 'scheduled' ? 'S' : ''))))),
          h('tbody', order.map(id => h('tr', { 'data-task': id }, h('th', id), runs.map((r, i) => cell(r, tasksByRun[i], id))))))),
        h('div.legend', states.map(s => h('span', h('i.cell', { class: 'cell-' + s }), ' ' + s.replaceAll('_', ' '))), h('span', 'M manual · S scheduled · B backfill')));
    }
    const busyRuns = runs.some(r => active(r.state)) || tasksByRun.flat().some(t => active(t.state));
    if (busyRuns && !stopped) timer = setTimeout(() => refresh().catch(() => {}), 1500);
  }
  await refresh();
  return h('div', header, message, forms, info, graphBox, grid, panel);
}

// Trigger with params: the DAG's defaults prefilled; a run may override them or add new ones.
function triggerForm(dag, submit, close) {
  const rows = h('div.params');
  const add = (key = '', value = '') => {
    const k = h('input', { placeholder: 'name', value: key, 'aria-label': 'Param name' });
    const v = h('input', { placeholder: 'value', value, 'aria-label': `Param ${key || 'value'}` });
    const row = h('div.param-row', k, h('span.muted', '='), v, h('button.link', { type: 'button', onclick: () => row.remove() }, 'Remove'));
    rows.append(row);
  };
  Object.entries(dag.params ?? {}).forEach(([k, v]) => add(k, v));
  const result = h('div');
  const go = h('button.primary', { type: 'submit' }, 'Trigger run');
  return h('form.card.inline-form', { 'data-testid': 'trigger-form', novalidate: true, onsubmit: e => {
    e.preventDefault();
    busy(go, 'Triggering…', async () => {
      const params = {};
      rows.querySelectorAll('.param-row').forEach(r => { const [k, v] = r.querySelectorAll('input'); if (k.value.trim()) params[k.value.trim()] = v.value; });
      try { await submit(params); } catch (err) { result.replaceChildren(problemAlert(err)); }
    });
  } },
  h('h3', 'Trigger a run'),
  h('p.help', Object.keys(dag.params ?? {}).length ? 'Params start at the DAG\'s defaults; change them for this run only, or add others.' : 'This DAG declares no params; add some if its tasks use {{ params.NAME }}.'),
  rows, h('button.link', { type: 'button', onclick: () => add() }, '+ Add param'), result,
  h('div.form-actions', h('button', { type: 'button', onclick: close }, 'Cancel'), h('div.spacer'), go));
}

// Backfill: one run per schedule interval inside [from, to], in UTC; intervals that already ran are skipped.
function backfillForm(dag, submit, close) {
  const day = d => d.toISOString().slice(0, 10) + 'T00:00';
  const now = new Date();
  const from = h('input#backfill-from', { type: 'datetime-local', value: day(new Date(now - 3 * 864e5)), 'aria-label': 'Backfill from' });
  const to = h('input#backfill-to', { type: 'datetime-local', value: day(now), 'aria-label': 'Backfill to' });
  const fieldOf = (id, text, input) => h('div.field', { 'data-path': id }, h('label', { for: 'backfill-' + id }, text), input, h('div.field-error'));
  const result = h('div');
  const go = h('button.primary', { type: 'submit' }, 'Create backfill runs');
  const timed = dag.schedule && !/^(manual|none)$/i.test(dag.schedule) && !dag.schedule.startsWith('on');
  return h('form.card.inline-form', { 'data-testid': 'backfill-form', novalidate: true, onsubmit: e => {
    e.preventDefault();
    busy(go, 'Creating runs…', async () => {
      result.replaceChildren();
      const iso = input => input.value ? input.value + (input.value.length === 16 ? ':00Z' : 'Z') : null;
      if (!from.value || !to.value) { result.replaceChildren(alert('error', 'Choose both ends of the range.')); return; }
      try { await submit(iso(from), iso(to)); } catch (err) { result.replaceChildren(problemAlert(err)); }
    });
  } },
  h('h3', 'Backfill'),
  h('p.help', timed ? `One run per interval of "${describe(dag.schedule)}" that starts at or after From and ends by To (UTC). Intervals that already have a run are skipped.`
    : 'This DAG has no time schedule, so there are no intervals to backfill; the server will say so.'),
  h('div.row', fieldOf('from', 'From (UTC)', from), fieldOf('to', 'To (UTC)', to)), result,
  h('div.form-actions', h('button', { type: 'button', onclick: close }, 'Cancel'), h('div.spacer'), go));
}
