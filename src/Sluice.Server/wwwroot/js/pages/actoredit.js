// New or edit a source or destination: pick a connector, fill the form generated from its spec, test, save.
import { h } from '../dom.js';
import { api, ApiError, itemsOf } from '../api.js';
import { flash, navigate } from '../main.js';
import { MASK, specForm } from '../components/specform.js';
import { catalogue } from '../components/catalogue.js';
import { alert, busy, pageHeader, problemAlert } from '../components/ui.js';

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
  const form = specForm(connector.spec.connectionSpecification, existing?.config);
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
    result.replaceChildren(...[problemAlert(err), unplaced.length ? h('ul.errors', unplaced.map(u => h('li', u))) : null].filter(Boolean));
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

// Key order differs between the form and the stored config; compare the content only.
function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value && typeof value === 'object') return '{' + Object.keys(value).sort().map(k => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  return JSON.stringify(value);
}
