// THE connection form, for a new connection and for editing one: source and destination, streams (discovered),
// destination namespace and prefix, schedule with its next runs, and the schema-change policy.
import { h } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { streamSelector } from './streams.js';
import { schedulePicker } from './schedule.js';
import { alert, busy, problemAlert } from './ui.js';

export const policies = [
  ['propagate_columns', 'Propagate new columns', 'New columns are added to the destination; new streams wait for you to add them.'],
  ['propagate_all', 'Propagate all changes', 'New columns and new streams are synced; streams the source dropped leave the connection.'],
  ['ignore', 'Ignore changes', 'Changes are recorded but not applied: the connection keeps syncing what it knows.'],
  ['pause', 'Pause the connection', 'The connection pauses at the first change until someone reviews it and resumes it.'],
];

/** The API reports the policy as PropagateColumns or propagate_columns; the form speaks the latter. */
export const policyName = p => String(p ?? 'propagate_columns').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * connectionForm({ existing, sources, destinations, onSaved }) → the form element.
 * `existing` is a connection from GET /connections/{id} (with its catalog); null for a new one.
 */
export function connectionForm({ existing, sources, destinations, onSaved }) {
  const field = (id, text, input, help) => h('div.field', { 'data-path': id }, h('label', { for: 'c-' + id }, text), input, help ? h('small.help', help) : null, h('div.field-error'));
  const name = h('input#c-name', { required: true, placeholder: 'e.g. orders to warehouse', value: existing?.name ?? '' });
  const source = h('select#c-source', sources.map(s => h('option', { value: s.id, selected: s.id === existing?.sourceId }, s.name)));
  const destination = h('select#c-destination', destinations.map(d => h('option', { value: d.id, selected: d.id === existing?.destinationId }, d.name)));
  const prefix = h('input#c-prefix', { placeholder: 'none', value: existing?.prefix ?? '' });
  const namespace = h('input#c-namespace', { placeholder: "the destination's default", value: existing?.namespace ?? '' });
  const currentPolicy = policyName(existing?.schemaChangePolicy);
  const policyHelp = h('small.help');
  const policy = h('select#c-policy', policies.map(([v, t]) => h('option', { value: v, selected: v === currentPolicy }, t)));
  const drawPolicy = () => { policyHelp.textContent = policies.find(p => p[0] === policy.value)?.[2] ?? ''; };
  policy.addEventListener('change', drawPolicy);
  drawPolicy();
  const schedule = schedulePicker(existing?.schedule ?? null, { timeZone: existing?.timeZone ?? 'UTC' });
  const streamsBox = h('div.streams-box');
  const message = h('div');
  let selector = null;

  const destinationModes = async () => {
    const dest = destinations.find(d => d.id === destination.value);
    return dest ? (await api.get('/connectors/' + dest.connector)).spec.supported_destination_sync_modes : [];
  };
  // Editing: the saved catalog already holds each stream as discovered, so the form opens without asking the source.
  const showSaved = async () => {
    const configured = existing.catalog?.streams ?? [];
    selector = streamSelector(configured.map(c => c.stream), await destinationModes(), configured);
    streamsBox.replaceChildren(h('p.help', `The ${configured.length} stream(s) this connection syncs. Discover the schema again to add streams or columns the source has gained.`), selector.el);
  };

  const discover = h('button.secondary', { type: 'button' }, existing ? 'Discover schema again' : 'Discover schema');
  discover.addEventListener('click', () => busy(discover, 'Discovering…', async () => {
    streamsBox.replaceChildren(alert('info', "Reading the source's schema…", 'large sources can take a while.'));
    try {
      const catalog = await api.post(`/sources/${source.value}/discover`);
      const sameSource = existing && source.value === existing.sourceId;
      selector = streamSelector(catalog.streams, await destinationModes(), sameSource ? existing.catalog?.streams ?? [] : null);
      streamsBox.replaceChildren(catalog.streams.length ? selector.el : alert('info', 'The source has no streams.', "Check its settings (schemas, tables, files)."));
    } catch (err) { selector = null; streamsBox.replaceChildren(problemAlert(err)); }
  }));
  source.addEventListener('change', () => { selector = null; streamsBox.replaceChildren(alert('info', 'Source changed: discover its schema to choose streams.')); });

  const save = h('button.primary', { type: 'submit' }, existing ? 'Save changes' : 'Create connection');
  const form = h('form.card.editor.connection-editor', {
    novalidate: true,
    onsubmit: e => {
      e.preventDefault();
      busy(save, existing ? 'Saving…' : 'Creating…', async () => {
        form.querySelectorAll('.field.invalid').forEach(f => f.classList.remove('invalid'));
        form.querySelectorAll('.field > .field-error').forEach(x => { x.textContent = ''; });
        schedule.setError('');
        schedule.setZoneError('');
        message.replaceChildren();
        const body = {
          name: name.value, source: source.value, destination: destination.value,
          streams: selector ? selector.value() : null, schedule: schedule.value(), timeZone: schedule.timeZone(),
          prefix: prefix.value || null, namespace: namespace.value || null, schemaChangePolicy: policy.value,
          status: existing?.status, version: existing?.version,
        };
        try {
          const saved = existing ? await api.put(`/connections/${existing.id}`, body) : await api.post('/connections', body);
          onSaved(saved);
        } catch (err) {
          const rest = selector ? selector.setErrors(err.errors) : { ...err.errors };
          const unplaced = [];
          for (const [k, v] of Object.entries(rest)) {
            const key = k.replace(/^connection\./, '').replace('schemaChangePolicy', 'policy').replace('schema_change_policy', 'policy');
            if (key === 'schedule') { schedule.setError(v.join('; ')); continue; }
            if (key === 'timeZone') { schedule.setZoneError(v.join('; ')); continue; }
            const f = form.querySelector(`.field[data-path="${key}"]`);
            if (f) { f.classList.add('invalid'); f.querySelector(':scope > .field-error').textContent = v.join('; '); } else unplaced.push(`${k}: ${v.join('; ')}`);
          }
          message.replaceChildren(problemAlert(err), unplaced.length && Object.keys(err.errors ?? {}).length > 1 ? h('ul.errors', unplaced.map(u => h('li', u))) : '');
        }
      });
    },
  },
  h('section', h('h2.first', 'Source and destination'),
    field('name', 'Name', name),
    h('div.row', field('source', 'Source', source), h('span.arrow', '→'), field('destination', 'Destination', destination))),
  h('section', h('div.section-head', h('h2', 'Streams'), discover), streamsBox),
  h('section', h('h2', 'In the destination'),
    h('div.row', field('namespace', 'Namespace (schema)', namespace), field('prefix', 'Table prefix', prefix, 'Added before every table name.'))),
  h('section', h('h2', 'Schedule'), h('div.field', { 'data-path': 'schedule' }, schedule.el), h('small.help', 'Cron times are read in the time zone you choose (an IANA name such as Europe/Berlin; UTC by default), daylight saving included; intervals do not depend on it.')),
  h('section', h('h2', 'Schema changes'), field('policy', 'When the source schema changes', policy), policyHelp),
  message, h('div.form-actions', h('div.spacer'), save));

  if (existing) showSaved().catch(err => streamsBox.replaceChildren(problemAlert(err)));
  else streamsBox.replaceChildren(alert('info', "Discover the source's schema to choose streams.", 'Without it, the connection syncs every stream with default settings.'));
  return form;
}

/** Sources and destinations for the selects; an empty state pointing to what to add first when one is missing. */
export async function actorsForConnection() {
  const [sources, destinations] = await Promise.all([api.get('/sources', { limit: 1000 }), api.get('/destinations', { limit: 1000 })]);
  return { sources: itemsOf(sources), destinations: itemsOf(destinations) };
}
