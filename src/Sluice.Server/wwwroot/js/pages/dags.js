// DAGs: each with its schedule, last run state, trigger and pause; and a box to apply a DAG written in YAML.
import { h } from '../dom.js';
import { api } from '../api.js';
import { navigate } from '../main.js';
import { alert, badge, busy, empty, pageHeader, problemAlert, table, when } from '../components/ui.js';

export async function dagsPage() {
  const [dags, runs] = await Promise.all([api.get('/dags'), api.get('/runs', { limit: 200 })]);
  const message = h('div');
  const lastRun = name => runs.find(r => r.dag === name);
  const act = (label, progress, work) => h('button.secondary.small', { type: 'button', onclick: e => busy(e.target, progress, async () => {
    try { await work(); } catch (err) { message.replaceChildren(problemAlert(err)); }
  }) }, label);
  const list = dags.length === 0
    ? empty('No DAGs yet', 'A DAG is a set of tasks (syncs, SQL, commands, HTTP calls) run in dependency order on a schedule. Paste one below, or use `sluice apply -f DIR`.')
    : table(['DAG', 'Schedule', 'Tasks', 'Last run', 'State', ''], dags.map(d => {
      const run = lastRun(d.name);
      return h('tr', { 'data-dag': d.name },
        h('td', h('a', { href: '/dags/' + encodeURIComponent(d.name) }, d.name), h('small.muted', ` v${d.version}`)),
        h('td', h('code', d.schedule)), h('td', d.tasks),
        h('td', run ? [badge(run.state), ' ', when(run.createdAt)] : 'never'),
        h('td', d.paused ? badge('paused') : badge('active')),
        h('td.actions',
          act('Trigger', 'Triggering…', async () => { const r = await api.post(`/dags/${encodeURIComponent(d.name)}/trigger`, {}); navigate(`/dags/${encodeURIComponent(d.name)}?run=${r.id}`); }),
          act(d.paused ? 'Unpause' : 'Pause', d.paused ? 'Unpausing…' : 'Pausing…', async () => { await api.post(`/dags/${encodeURIComponent(d.name)}/${d.paused ? 'unpause' : 'pause'}`); navigate('/dags', true); })));
    }), { testid: 'dags-table' });

  const yaml = h('textarea.yaml', { rows: 10, 'aria-label': 'DAG YAML', spellcheck: false,
    placeholder: 'name: nightly\nschedule: "0 3 * * *"\ntasks:\n  - id: extract\n    type: command\n    command: "true"' });
  const apply = h('button.primary', { type: 'button' }, 'Apply');
  apply.addEventListener('click', () => busy(apply, 'Applying…', async () => {
    try {
      await api.postText('/dags', yaml.value, 'application/yaml');
      navigate('/dags', true);
    } catch (err) {
      const errors = Array.isArray(err.problem?.errors) ? err.problem.errors : [];
      message.replaceChildren(...[problemAlert(err), errors.length ? h('ul.errors', errors.map(e => h('li', e))) : null].filter(Boolean));
    }
  }));
  return h('div', pageHeader('DAGs'), message, list,
    h('h2', 'Apply a DAG'), h('div.card', yaml, h('div.form-actions', h('small.help', 'A new definition with the same name becomes a new version.'), h('div.spacer'), apply)),
    dags.length ? null : alert('info', 'Tip:', 'schedule can be a cron expression, a preset such as @daily, "@every 10m" or "manual".'));
}
