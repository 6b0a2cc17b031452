// THE form generated from a connector's JSON Schema spec, used for every source and destination (new and edit).
// Supports strings, numbers/integers, booleans, enums, oneOf groups, arrays and nested objects; secrets
// (airbyte_secret / writeOnly) are password fields that never show the stored value.
import { h } from '../dom.js';

export const MASK = '**********';

/**
 * specForm(schema, value, base) → { el, value(), setErrors(errors), clearErrors() }.
 * `errors` is the problem-details map field path → messages; each message lands next to its field. `base` is the
 * path of the object the form edits inside a larger config (an external connector's own settings sit under "config").
 */
export function specForm(schema, value = {}, base = '') {
  const root = objectField(schema, value ?? {}, base);
  const el = h('div.spec-form', root.el);
  return {
    el,
    value: () => root.value() ?? {},
    setErrors(errors) {
      clearErrors(el);
      const unplaced = [];
      for (const [path, messages] of Object.entries(errors ?? {})) {
        const target = findField(el, path);
        if (target) target.querySelector(':scope > .field-error').textContent = messages.map(m => withoutField(m, path)).join('; ');
        else unplaced.push(`${path}: ${messages.join('; ')}`);
        target?.classList.add('invalid');
      }
      return unplaced;
    },
    clearErrors: () => clearErrors(el),
  };
}

// Under its own field a message need not repeat the field's name ("host: is required" shows as "is required").
function withoutField(message, path) {
  const tail = path.split(/[.$]/).filter(Boolean).pop() ?? path;
  for (const prefix of [path + ': ', tail + ': '])
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  return message;
}

function clearErrors(el) {
  el.querySelectorAll('.field.invalid').forEach(f => f.classList.remove('invalid'));
  el.querySelectorAll('.field-error').forEach(e => { e.textContent = ''; });
}

// The server may name a field "password", "config.password" or "$.tunnel.password": match on the path's tail.
function findField(el, path) {
  const clean = path.replace(/^\$\.?/, '').replace(/^config\./, '').replace(/\[(\d+)\]/g, '.$1');
  const fields = [...el.querySelectorAll('.field[data-path]')];
  return fields.find(f => f.dataset.path === clean)
    ?? fields.find(f => clean.endsWith('.' + f.dataset.path) || f.dataset.path.endsWith('.' + clean));
}

function field(schema, value, path, key, required) {
  if (schema.oneOf || schema.anyOf) return oneOfField(schema, value, path, key, required);
  const type = Array.isArray(schema.type) ? schema.type.find(t => t !== 'null') : schema.type;
  if (schema.enum) return enumField(schema, value, path, key, required);
  if (type === 'object') return wrap(schema, path, key, required, objectField(schema, value ?? {}, path), true);
  if (type === 'array') return arrayField(schema, value, path, key, required);
  if (type === 'boolean') return booleanField(schema, value, path, key);
  if (type === 'integer' || type === 'number') return numberField(schema, value, path, key, required, type);
  return stringField(schema, value, path, key, required);
}

// A property without a title is labelled from its key: infer_rows → "Infer rows".
export const humanize = key => key ? key.replace(/[_-]+/g, ' ').replace(/^./, c => c.toUpperCase()) : key;

function label(schema, key, required) {
  return [schema.title || humanize(key), required ? h('span.required', { title: 'required', 'aria-hidden': 'true' }, ' *') : null];
}

function wrap(schema, path, key, required, inner, group = false) {
  const id = 'f-' + (path || 'root').replace(/[^a-z0-9]/gi, '-');
  const el = h(group ? 'fieldset.field.group' : 'div.field', { 'data-path': path },
    group ? h('legend', label(schema, key, required)) : h('label', { for: id }, label(schema, key, required)),
    inner.el,
    schema.description ? h('small.help', schema.description) : null,
    h('div.field-error', { 'aria-live': 'polite' }));
  inner.el.id ||= id;
  return { el, value: inner.value };
}

function objectField(schema, value, path) {
  const props = Object.entries(schema.properties ?? {})
    .sort(([, a], [, b]) => (a.order ?? 1e9) - (b.order ?? 1e9));
  const required = new Set(schema.required ?? []);
  const children = props.map(([key, sub]) => [key, field(sub, value?.[key], path ? `${path}.${key}` : key, key, required.has(key))]);
  return {
    el: h('div.object', children.map(([, c]) => c.el)),
    value() {
      const out = {};
      for (const [key, c] of children) {
        const v = c.value();
        if (v !== undefined) out[key] = v;
      }
      return out;
    },
  };
}

function isSecret(schema) { return schema.airbyte_secret === true || schema.writeOnly === true || schema['x-secret'] === true; }

function stringField(schema, value, path, key, required) {
  const secret = isSecret(schema);
  const stored = secret && value !== undefined && value !== null && value !== '';
  // A stored secret arrives masked; the field stays empty and an empty field sends the mask back ("keep it").
  const input = h('input', {
    type: secret ? 'password' : schema.format === 'uri' ? 'url' : 'text',
    name: path, autocomplete: secret ? 'new-password' : 'off',
    value: secret ? '' : (value ?? schema.default ?? ''),
    placeholder: stored ? 'stored — type to replace' : (schema.examples?.[0] ?? ''),
    required,
  });
  return wrap(schema, path, key, required, {
    el: input,
    value: () => input.value === '' ? (stored ? MASK : undefined) : input.value,
  });
}

function numberField(schema, value, path, key, required, type) {
  const input = h('input', { type: 'number', name: path, step: type === 'integer' ? '1' : 'any', value: value ?? schema.default ?? '', required,
    min: schema.minimum, max: schema.maximum });
  return wrap(schema, path, key, required, {
    el: input,
    value: () => input.value === '' ? undefined : Number(input.value),
  });
}

function booleanField(schema, value, path, key) {
  const input = h('input', { type: 'checkbox', name: path, checked: value ?? schema.default ?? false });
  const id = 'f-' + path.replace(/[^a-z0-9]/gi, '-');
  input.id = id;
  const el = h('div.field.checkbox', { 'data-path': path },
    h('label', { for: id }, input, ' ', schema.title || humanize(key)),
    schema.description ? h('small.help', schema.description) : null,
    h('div.field-error'));
  return { el, value: () => input.checked };
}

function enumField(schema, value, path, key, required) {
  const current = value ?? schema.default;
  const select = h('select', { name: path },
    required && current !== undefined ? null : h('option', { value: '' }, '—'),
    schema.enum.map(v => h('option', { value: JSON.stringify(v), selected: v === current }, String(v))));
  return wrap(schema, path, key, required, { el: select, value: () => select.value === '' ? undefined : JSON.parse(select.value) });
}

function arrayField(schema, value, path, key, required) {
  const items = schema.items ?? { type: 'string' };
  const rows = [];
  const list = h('div.array-items');
  const add = v => {
    const index = rows.length;
    const item = field(items, v, `${path}.${index}`, `${schema.title || key} ${index + 1}`, false);
    const row = h('div.array-item', item.el, h('button.link', { type: 'button', title: 'remove', onclick: () => { rows.splice(rows.indexOf(entry), 1); row.remove(); } }, 'Remove'));
    const entry = { item };
    rows.push(entry);
    list.append(row);
  };
  (value ?? schema.default ?? []).forEach(add);
  const el = h('div.array', list, h('button.secondary.small', { type: 'button', onclick: () => add(undefined) }, '+ Add'));
  return wrap(schema, path, key, required, {
    el,
    value: () => {
      const values = rows.map(r => r.item.value()).filter(v => v !== undefined);
      return values.length === 0 && !required && value === undefined ? undefined : values;
    },
  }, true);
}

// A oneOf group: a selector of the alternatives, and the chosen alternative's own fields below it.
function oneOfField(schema, value, path, key, required) {
  const options = schema.oneOf ?? schema.anyOf;
  const matches = (option, v) => {
    if (v === undefined || v === null) return false;
    const t = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;
    if (option.type && option.type !== t && !(option.type === 'number' && t === 'integer')) return false;
    if (option.enum && !option.enum.includes(v)) return false;
    const consts = Object.entries(option.properties ?? {}).filter(([, p]) => p.const !== undefined);
    return consts.every(([k, p]) => v[k] === p.const);
  };
  let chosen = Math.max(0, options.findIndex(o => matches(o, value ?? schema.default)));
  const title = (o, i) => o.title ?? (o.enum ? 'Choose a value' : o.type === 'object' ? 'Detailed settings' : o.type ?? `Option ${i + 1}`);
  const select = h('select.oneof', { name: path + '#option', 'aria-label': (schema.title || key) + ' option' },
    options.map((o, i) => h('option', { value: i, selected: i === chosen }, title(o, i))));
  const body = h('div.oneof-body');
  let current;
  const render = v => {
    const option = { ...options[chosen], title: options[chosen].type === 'object' ? undefined : ' ', description: undefined };
    current = field(option, v, path, '', false);
    body.replaceChildren(current.el);
  };
  render(value ?? schema.default);
  select.addEventListener('change', () => { chosen = Number(select.value); render(undefined); });
  return wrap(schema, path, key, required, { el: h('div.oneof-group', select, body), value: () => current.value() }, true);
}
