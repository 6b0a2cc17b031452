// New connection: choose source and destination, discover the schema, pick streams, then schedule and save.
import { h } from '../dom.js';
import { api } from '../api.js';
import { navigate } from '../main.js';
import { streamSelector } from '../components/streams.js';
import { schedulePicker } from '../components/schedule.js';
import { alert, busy, empty, pageHeader, problemAlert } from '../components/ui.js';

export async function connectionNewPage() {
  const [sources, destinations] = await Promise.all([api.get('/sources'), api.get('/destinations')]);
  if (sources.items.length === 0 || destinations.items.length === 0) {
    const missing = sources.items.length === 0 ? 'sources' : 'destinations';
    return h('div', pageHeader('New connection'), empty(`First add ${missing === 'sources' ? 'a source' : 'a destination'}`,
      'A connection needs a source to read from and a destination to write to.', h('a.button.primary', { href: `/${missing}/new` }, `Add ${missing === 'sources' ? 'a source' : 'a destination'}`)));
  }
  const field = (id, text, input, help) => h('div.field', { 'data-path': id }, h('label', { for: 'c-' + id }, text), input, help ? h('small.help', help) : null, h('div.field-error'));
  const name = h('input#c-name', { required: true, placeholder: 'e.g. orders to warehouse' });
  const source = h('select#c-source', sources.items.map(s => h('option', { value: s.id }, s.name)));
  const destination = h('select#c-destination', destinations.items.map(d => h('option', { value: d.id }, d.name)));
  const prefix = h('input#c-prefix', { placeholder: 'none' });
  const namespace = h('input#c-namespace', { placeholder: "the destination's default" });
  const policy = h('select#c-policy', [['propagate_columns', 'Propagate new columns'], ['propagate_all', 'Propagate all changes'], ['ignore', 'Ignore changes'], ['pause', 'Pause the connection']]
    .map(([v, t]) => h('option', { value: v }, t)));
  const schedule = schedulePicker(null);
  const streamsBox = h('div.streams-box', alert('info', 'Discover the source\'s schema to choose streams.'));
  const message = h('div');
  let selector = null;

  const discover = h('button.secondary', { type: 'button' }, 'Discover schema');
  discover.addEventListener('click', () => busy(discover, 'Discovering…', async () => {
    streamsBox.replaceChildren(alert('info', 'Reading the source\'s schema…'));
    try {
      const catalog = await api.post(`/sources/${source.value}/discover`);
      const dest = destinations.items.find(d => d.id === destination.value);
      const connector = await api.get('/connectors/' + dest.connector);
      selector = streamSelector(catalog.streams, connector.spec.supported_destination_sync_modes);
      streamsBox.replaceChildren(catalog.streams.length ? selector.el : alert('info', 'The source has no streams.', 'Check its schemas setting.'));
    } catch (err) { selector = null; streamsBox.replaceChildren(problemAlert(err)); }
  }));
  source.addEventListener('change', () => { selector = null; streamsBox.replaceChildren(alert('info', 'Source changed: discover its schema again.')); });

  const save = h('button.primary', { type: 'submit' }, 'Create connection');
  const form = h('form.card.editor', {
    novalidate: true,
    onsubmit: e => {
      e.preventDefault();
      busy(save, 'Creating…', async () => {
        form.querySelectorAll('.field-error').forEach(x => { x.textContent = ''; });
        try {
          const created = await api.post('/connections', {
            name: name.value, source: source.value, destination: destination.value,
            streams: selector ? selector.value() : null, schedule: schedule.value(),
            prefix: prefix.value || null, namespace: namespace.value || null, schemaChangePolicy: policy.value,
          });
          navigate('/connections/' + created.id);
        } catch (err) {
          for (const [k, v] of Object.entries(err.errors ?? {})) { const f = form.querySelector(`.field[data-path="${k}"] .field-error`); if (f) f.textContent = v.join('; '); }
          message.replaceChildren(problemAlert(err));
        }
      });
    },
  },
  field('name', 'Name', name),
  h('div.row', field('source', 'Source', source), h('span.arrow', '→'), field('destination', 'Destination', destination)),
  h('h2', 'Streams'), h('div.toolbar', discover), streamsBox,
  h('h2', 'Destination'),
  h('div.row', field('namespace', 'Namespace (schema)', namespace), field('prefix', 'Table prefix', prefix, 'Added before every table name.')),
  h('h2', 'Schedule and schema changes'),
  field('schedule', 'Schedule', schedule.el),
  field('policy', 'When the source schema changes', policy),
  message, h('div.form-actions', h('div.spacer'), save));
  return h('div', pageHeader('New connection'), form);
}
