// New or edit a source or destination: pick a connector, fill the form generated from its spec, test, save.
import { h } from '../dom.js';
import { api, ApiError, itemsOf } from '../api.js';
import { flash, navigate } from '../main.js';
import { MASK, specForm } from '../components/specform.js';
import { catalogue } from '../components/catalogue.js';
import { alert, busy, capital, pageHeader, problemAlert } from '../components/ui.js';

export async function actorEditPage(kind, id) {
  const singular = kind === 'sources' ? 'source' : 'destination';
  const existing = id ? await api.get(`/${kind}/${id}`) : null;
  const connectors = itemsOf(await api.get('/connectors')).filter(c => kind === 'sources' ? c.isSource : c.isDestination);
  const container = h('div');
  const pick = () => container.replaceChildren(h('div', pageHeader(`New ${singular}`), h('p.muted', `Choose the connector of the ${singular}.`), catalogue(connectors, show)));
  const show = connector => container.replaceChildren(editor(kind, singular, connector, existing, pick));
  if (existing) show(connectors.find(c => c.name === existing.connector) ?? await api.get('/connectors/' + existing.connector));
  else pick();
  return container;
}

function editor(kind, singular, connector, existing, back) {
  const form = connector.name === 'airbyte'
    ? externalForm(connector.spec.connectionSpecification, existing)
    : specForm(connector.spec.connectionSpecification, existing?.config);
  const name = h('input#actor-name', { name: 'name', value: existing?.name ?? '', required: true, placeholder: `e.g. ${connector.name}-prod` });
  const nameField = h('div.field', { 'data-path': 'name' }, h('label', { for: 'actor-name' }, 'Name', h('span.required', { 'aria-hidden': 'true' }, ' *')), name, h('div.field-error'));
  const result = h('div.result', { 'data-testid': 'result' });
  const test = h('button.secondary', { type: 'button' }, 'Test connection');
  const save = h('button.primary', { type: 'submit' }, existing ? 'Save changes' : `Create ${singular}`);
  const body = () => ({ name: name.value, connector: connector.name, config: form.value(), version: existing?.version });

  const showProblem = err => {
    nameField.classList.remove('invalid');
    nameField.querySelector('.field-error').textContent = '';
    const errors = { ...err.errors };
    if (errors.name) { nameField.classList.add('invalid'); nameField.querySelector('.field-error').textContent = errors.name.join('; '); delete errors.name; }
    const unplaced = form.setErrors(errors);
    // When every error sits under its field, the summary points there instead of repeating each message.
    const summary = Object.keys(err.errors ?? {}).length > 0 && unplaced.length === 0
      ? alert('error', capital(err.problem?.title ?? 'error') + ':', 'see the message under each marked field.')
      : problemAlert(err);
    result.replaceChildren(...[summary, unplaced.length ? h('ul.errors', unplaced.map(u => h('li', u))) : null].filter(Boolean));
  };

  test.addEventListener('click', () => busy(test, 'Testing…', async () => {
    form.clearErrors();
    result.replaceChildren(alert('info', 'Testing the connection…'));
    try {
      // Unchanged, an existing one is checked by the server with its stored secrets. Changed, the config is sent
      // as is, and a stored secret cannot travel with it (the page only has the mask): ask for it instead.
      const config = body().config;
      const changed = existing && canonical(config) !== canonical(existing.config);
      if (changed && JSON.stringify(config).includes(JSON.stringify(MASK))) {
        result.replaceChildren(alert('info', 'Unsaved changes:', 'retype the stored secret(s) to test them, or save first and test the saved settings.'));
        return;
      }
      const check = existing && !changed ? await api.post(`/${kind}/${existing.id}/check`) : await api.post(`/${kind}/check`, body());
      result.replaceChildren(check.succeeded ? alert('ok', 'Connection succeeded.', check.message ?? '') : alert('error', 'Connection failed:', check.message ?? 'no details'));
    } catch (err) { showProblem(err); }
  }));

  const el = h('form.card.editor', {
    novalidate: true,
    onsubmit: e => {
      e.preventDefault();
      busy(save, 'Saving…', async () => {
        form.clearErrors();
        try {
          const saved = existing ? await api.put(`/${kind}/${existing.id}`, body()) : await api.post(`/${kind}`, body());
          flash('ok', existing ? 'Saved.' : `${singular[0].toUpperCase() + singular.slice(1)} created.`, existing ? '' : 'Next, use it in a connection.');
          navigate(`/${kind}/${saved.id}`);
        } catch (err) {
          if (err instanceof ApiError) showProblem(err); else throw err;
        }
      });
    },
  },
  nameField, form.el, result,
  h('div.form-actions', test, h('div.spacer'), save));

  const remove = existing ? h('button.danger', { type: 'button', onclick: async () => {
    if (!confirm(`Delete ${singular} "${existing.name}"?`)) return;
    try { await api.del(`/${kind}/${existing.id}`); navigate('/' + kind); } catch (err) { result.replaceChildren(problemAlert(err)); }
  } }, 'Delete') : null;
  const change = existing ? null : h('button.secondary', { type: 'button', onclick: back }, 'Change connector');
  return h('div', pageHeader(existing ? existing.name : `New ${singular}`, change, remove),
    h('p.muted', (connector.spec.connectionSpecification.title ?? connector.name) + ' ' + singular),
    el);
}

// An external Airbyte-protocol connector's own settings are only known once it has run `spec`. The form has two
// parts: how to start the connector (command or image, args, env), and under it the connector's own settings, drawn
// from POST /connectors/airbyte/spec once a command is entered and again whenever how to start it changes. Typing
// in the first part never redraws it; stored secrets stay masked, as everywhere.
const launchKeys = ['command', 'args', 'image', 'env', 'working_dir'];
function externalForm(wrapperSchema, existing) {
  const { config: _, ...launchProperties } = wrapperSchema.properties ?? {};
  const launch = specForm({ ...wrapperSchema, properties: launchProperties }, existing?.config);
  let settings = null;
  let settingsValue = existing?.config?.config ?? {};
  const settingsBox = h('div.external-settings');
  const status = h('div.spec-status', { 'data-testid': 'external-spec' });
  const load = h('button.secondary.small', { type: 'button' }, 'Load connector settings');
  const say = (...children) => status.replaceChildren(...children.filter(Boolean));
  let loadedKey = null;
  let sequence = 0;

  async function refresh(force = false) {
    const value = launch.value();
    if (!value.command && !value.image) {
      say(alert('info', "Enter the connector's command (or Docker image).", 'Its own settings appear here once Sluice has run its spec.'), load);
      return;
    }
    const key = JSON.stringify(value);
    if (key === loadedKey && !force) return;
    const mine = ++sequence;
    await busy(load, 'Running spec…', async () => {
      say(alert('info', 'Asking the connector for its settings…', `running ${value.command ?? value.image} spec`));
      try {
        const spec = await api.post('/connectors/airbyte/spec', { config: value });
        if (mine !== sequence) return;
        const schema = { ...(spec.connectionSpecification.properties?.config ?? { type: 'object' }) };
        schema.title ??= 'Connector settings';
        if (settings) settingsValue = settings.value();
        settings = specForm(schema, settingsValue, 'config');
        settingsBox.replaceChildren(h('fieldset.field.group', { 'data-path': 'config' }, h('legend', schema.title), settings.el));
        loadedKey = key;
        say(alert('ok', `Settings of the connector, from its spec: ${Object.keys(schema.properties ?? {}).length} field(s).`,
          spec.documentationUrl ? `Documentation: ${spec.documentationUrl}` : ''), load);
      } catch (err) {
        if (mine !== sequence) return;
        launch.setErrors(err.errors);
        say(problemAlert(err), load);
      }
    });
  }
  load.addEventListener('click', () => refresh(true));
  // A change to how the connector is started asks for its spec again.
  launch.el.addEventListener('change', e => {
    const path = e.target.name ?? '';
    if (launchKeys.some(k => path === k || path.startsWith(k + '.'))) refresh();
  });
  refresh();

  const inner = path => /^(\$\.)?config\./.test(path);
  return {
    el: h('div', launch.el, status, settingsBox),
    value: () => ({ ...launch.value(), config: settings ? settings.value() : settingsValue }),
    setErrors(errors) {
      const entries = Object.entries(errors ?? {});
      const unplaced = launch.setErrors(Object.fromEntries(entries.filter(([k]) => !inner(k))));
      const forSettings = Object.fromEntries(entries.filter(([k]) => inner(k)));
      return [...unplaced, ...(settings ? settings.setErrors(forSettings) : Object.entries(forSettings).map(([k, v]) => `${k}: ${v.join('; ')}`))];
    },
    clearErrors() { launch.clearErrors(); settings?.clearErrors(); },
  };
}

// Key order differs between the form and the stored config; compare the content only.
function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value && typeof value === 'object') return '{' + Object.keys(value).sort().map(k => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  return JSON.stringify(value);
}
