// Small shared building blocks: badges, empty states, tables, alerts, busy buttons, formatting.
import { h } from '../dom.js';

export const badge = (text, kind = text) => h('span.badge', { class: 'badge-' + String(kind).toLowerCase().replace(/[^a-z_]/g, '') }, text);

export function empty(title, text, action) {
  return h('div.empty', h('h3', title), h('p', text), action);
}

export function table(columns, rows, { testid } = {}) {
  return h('table.table', { 'data-testid': testid },
    h('thead', h('tr', columns.map(c => h('th', c)))),
    h('tbody', rows));
}

/** An inline message: kind is ok, error or info. The role makes it readable by screen readers and tests alike. */
export function alert(kind, title, detail) {
  return h('div.alert', { class: 'alert-' + kind, role: kind === 'error' ? 'alert' : 'status' }, h('strong', title), detail ? h('span', ' ' + detail) : null);
}

export function problemAlert(error) {
  return alert('error', error.problem?.title ? capital(error.problem.title) + ':' : 'Error:', error.message);
}

/** Runs `work` with the button disabled and showing progress, so a long operation is visibly under way. */
export async function busy(button, label, work) {
  const original = button.textContent;
  button.disabled = true;
  button.classList.add('busy');
  button.textContent = label;
  try { return await work(); } finally {
    button.disabled = false;
    button.classList.remove('busy');
    // The work may have relabelled the button (Pause → Unpause); only undo our own label.
    if (button.textContent === label) button.textContent = original;
  }
}

export const capital = s => s ? s[0].toUpperCase() + s.slice(1) : s;

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function duration(start, end) {
  if (!start) return '—';
  const ms = (end ? new Date(end) : new Date()) - new Date(start);
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

export function bytes(n) {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

export const count = n => n === undefined || n === null ? '—' : Number(n).toLocaleString();

export function pageHeader(title, ...actions) {
  return h('div.page-header', h('h1', title), h('div.actions', actions));
}

export const link = (href, text, attrs = {}) => h('a', { href, ...attrs }, text);
