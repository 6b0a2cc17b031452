// Stream selection for a connection: which streams and columns, sync mode, cursor, primary key, column mappings and
// the destination table per stream. New streams get defaults from what the source discovered (its primary key, its
// default cursor); streams the connection already has start from their saved settings.
import { h } from '../dom.js';

const modes = [
  ['full_refresh', 'overwrite', 'Full refresh | Overwrite'],
  ['full_refresh', 'overwrite_dedup', 'Full refresh | Overwrite + dedup'],
  ['full_refresh', 'append', 'Full refresh | Append'],
  ['incremental', 'append', 'Incremental | Append'],
  ['incremental', 'append_dedup', 'Incremental | Append + dedup'],
];
const mappingKinds = [['', 'as is'], ['rename', 'rename to…'], ['hash', 'hash (SHA-256)'], ['mask', 'mask'], ['drop', 'drop']];

export const streamKey = s => (s.namespace ? s.namespace + '.' : '') + s.name;

/**
 * streamSelector(discovered, destinationModes, configured) → { el, value(), setErrors(errors) → unplaced }.
 * `discovered` are the source's streams, `configured` the connection's saved configured streams (or null for a new
 * connection); value() is the API's `streams` array.
 */
export function streamSelector(discovered, destinationModes, configured = null) {
  const saved = new Map((configured ?? []).map(c => [streamKey(c.stream), c]));
  const rows = discovered.map(s => streamRow(s, destinationModes, configured ? saved.get(streamKey(s)) ?? null : undefined));
  const all = h('input', { type: 'checkbox', checked: rows.every(r => r.selected()), 'aria-label': 'Select all streams',
    onchange: e => rows.forEach(r => r.setSelected(e.target.checked)) });
  const count = h('span.muted', { 'data-testid': 'streams-count' });
  const recount = () => { count.textContent = `${rows.filter(r => r.selected()).length} of ${rows.length} stream(s) selected`; };
  const el = h('div',
    h('table.table.streams', { 'data-testid': 'streams' },
      h('thead', h('tr', h('th', all), h('th', 'Stream'), h('th', 'Sync mode'), h('th', 'Cursor'), h('th', 'Primary key'), h('th', 'Columns and mappings'))),
      rows.map(r => r.el)),
    h('div.table-foot', count));
  el.addEventListener('change', recount);
  recount();
  return {
    el,
    value: () => rows.filter(r => r.selected()).map(r => r.value()),
    /** Places errors such as "connection.streams[1].cursor_field" on the row of the second selected stream. */
    setErrors(errors) {
      rows.forEach(r => r.setError(''));
      const chosen = rows.filter(r => r.selected());
      const unplaced = {};
      for (const [path, messages] of Object.entries(errors ?? {})) {
        const m = /streams\[(\d+)\](?:\.(.+))?$/.exec(path);
        const row = m ? chosen[Number(m[1])] : null;
        if (row) row.setError(`${m[2] ? m[2] + ': ' : ''}${messages.join('; ')}`);
        else unplaced[path] = messages;
      }
      return unplaced;
    },
  };
}

// `saved` is undefined for a new connection (defaults apply), null for a stream the connection does not sync yet.
function streamRow(stream, destinationModes, saved) {
  const columns = stream['x-sluice-columns'] ?? Object.keys(stream.json_schema?.properties ?? {}).map(name => ({ name }));
  const sourceKey = (stream.source_defined_primary_key ?? []).map(p => p[0]);
  const supported = stream.supported_sync_modes ?? ['full_refresh'];
  const available = modes.filter(([s, d]) => supported.includes(s) && (!destinationModes?.length || destinationModes.includes(d)));
  const offered = available.length ? available : modes.slice(0, 1);
  const savedMode = saved ? `${saved.sync_mode}|${saved.destination_sync_mode}` : null;
  const initialMode = savedMode && offered.some(([s, d]) => `${s}|${d}` === savedMode) ? savedMode : `${offered[0][0]}|${offered[0][1]}`;

  const selected = h('input', { type: 'checkbox', checked: saved !== null, 'aria-label': 'Sync ' + stream.name });
  const mode = h('select', { 'aria-label': 'Sync mode of ' + stream.name },
    offered.map(([s, d, text]) => h('option', { value: s + '|' + d, selected: `${s}|${d}` === initialMode }, text)));
  const candidates = stream['x-sluice-cursor-candidates']?.length ? stream['x-sluice-cursor-candidates'] : columns.map(c => c.name);
  const cursorNow = saved?.cursor_field?.[0] ?? stream.default_cursor_field?.[0] ?? '';
  const cursor = h('select', { 'aria-label': 'Cursor of ' + stream.name },
    h('option', { value: '' }, '—'),
    candidates.map(c => h('option', { value: c, selected: cursorNow === c }, c)));

  const keyNow = saved?.primary_key?.length ? saved.primary_key.map(p => p[0]) : sourceKey;
  const keyBoxes = columns.map(c => h('label.check', h('input', { type: 'checkbox', value: c.name, checked: keyNow.includes(c.name), 'aria-label': `${c.name} in the primary key of ${stream.name}` }), ' ', c.name));
  const keySummary = h('summary', { 'data-testid': 'primary-key' });
  const keyPicker = h('details.picker', keySummary, h('div.picker-list', keyBoxes));
  const keys = () => keyBoxes.map(b => b.firstChild).filter(b => b.checked).map(b => b.value);
  const drawKey = () => { keySummary.textContent = keys().join(', ') || 'none'; };

  const selectedColumns = saved?.['x-sluice-selected-columns'] ?? null;
  const mappings = new Map((saved?.['x-sluice-mappings'] ?? []).map(m => [m.column, m]));
  const columnRows = columns.map(c => columnRow(stream, c, !selectedColumns || selectedColumns.includes(c.name), mappings.get(c.name)));
  const destinationName = h('input', { 'aria-label': 'Destination table of ' + stream.name, placeholder: stream.name, value: saved?.destination_object_name ?? '' });
  const columnSummary = h('summary', { 'data-testid': 'columns-summary' });
  const drawColumns = () => {
    const chosen = columnRows.filter(r => r.selected()).length;
    const mapped = columnRows.filter(r => r.selected() && r.mapping()).length;
    columnSummary.textContent = `${chosen} of ${columns.length} columns` + (mapped ? ` · ${mapped} mapped` : '') + (destinationName.value ? ` · → ${destinationName.value}` : '');
  };
  const details = h('details.picker.wide', columnSummary, h('div.picker-list',
    h('table.columns', h('thead', h('tr', h('th', ''), h('th', 'Column'), h('th', 'Type'), h('th', 'In the destination'))), h('tbody', columnRows.map(r => r.el))),
    h('label.destination-name', 'Destination table ', destinationName)));

  const error = h('td.field-error', { colspan: 6 });
  const errorRow = h('tr.stream-error', { hidden: true }, error);
  const syncCursor = () => { cursor.disabled = !mode.value.startsWith('incremental'); };
  const el = h('tbody.stream', { 'data-stream': stream.name },
    h('tr', h('td', selected), h('td', h('strong', streamKey(stream)), stream['x-sluice-estimated-rows'] != null ? h('small.muted', ` ~${stream['x-sluice-estimated-rows']} rows`) : null),
    h('td', mode), h('td', cursor), h('td', keyPicker), h('td', details)),
    errorRow);
  el.addEventListener('change', () => { syncCursor(); drawKey(); drawColumns(); el.classList.toggle('off', !selected.checked); });
  el.addEventListener('input', drawColumns);
  syncCursor(); drawKey(); drawColumns();
  el.classList.toggle('off', !selected.checked);

  return {
    el,
    selected: () => selected.checked,
    setSelected: v => { selected.checked = v; el.classList.toggle('off', !v); },
    setError(message) { error.textContent = message; errorRow.hidden = !message; },
    value() {
      const [syncMode, destinationMode] = mode.value.split('|');
      const out = { name: stream.name, sync_mode: syncMode, destination_sync_mode: destinationMode };
      if (stream.namespace) out.namespace = stream.namespace;
      const chosen = columnRows.filter(r => r.selected());
      if (chosen.length < columns.length) out.columns = chosen.map(r => r.name);
      if (syncMode === 'incremental' && cursor.value) out.cursor_field = [cursor.value];
      if (keys().join() !== sourceKey.join()) out.primary_key = keys();
      const mapped = chosen.map(r => r.mapping()).filter(Boolean);
      if (mapped.length) out.mappings = mapped;
      if (destinationName.value.trim()) out.destination_name = destinationName.value.trim();
      if (saved?.['x-sluice-destination-namespace']) out.destination_namespace = saved['x-sluice-destination-namespace'];
      return out;
    },
  };
}

function columnRow(stream, column, checked, mapping) {
  const box = h('input', { type: 'checkbox', checked, value: column.name, 'aria-label': `Column ${column.name} of ${stream.name}` });
  const kind = h('select', { 'aria-label': `Mapping of ${stream.name}.${column.name}` },
    mappingKinds.map(([v, t]) => h('option', { value: v, selected: v === (mapping?.kind ?? '') }, t)));
  const rename = h('input', { 'aria-label': `New name of ${stream.name}.${column.name}`, placeholder: 'new name', value: mapping?.new_name ?? '' });
  const sync = () => { rename.hidden = kind.value !== 'rename'; kind.disabled = !box.checked; };
  kind.addEventListener('change', sync);
  box.addEventListener('change', sync);
  sync();
  return {
    name: column.name,
    selected: () => box.checked,
    mapping() {
      if (!kind.value) return null;
      if (kind.value === 'rename') return rename.value.trim() ? { column: column.name, rename: rename.value.trim() } : null;
      return { column: column.name, [kind.value]: true };
    },
    el: h('tr', h('td', box), h('td', column.name), h('td.muted', column.type ?? ''), h('td', h('span.inline', kind, rename))),
  };
}
