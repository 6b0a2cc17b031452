// Stream selection for a connection: which streams and columns, sync mode, cursor and primary key per stream.
// Defaults are preselected from what the source discovered (its primary key, its default cursor).
import { h } from '../dom.js';

const modes = [
  ['full_refresh', 'overwrite', 'Full refresh | Overwrite'],
  ['full_refresh', 'append', 'Full refresh | Append'],
  ['incremental', 'append', 'Incremental | Append'],
  ['incremental', 'append_dedup', 'Incremental | Append + dedup'],
];

/** streamSelector(discoveredStreams, destinationModes) → { el, value() } where value() is the API's streams array. */
export function streamSelector(streams, destinationModes) {
  const rows = streams.map(s => streamRow(s, destinationModes));
  const all = h('input', { type: 'checkbox', checked: true, 'aria-label': 'Select all streams',
    onchange: e => rows.forEach(r => r.setSelected(e.target.checked)) });
  return {
    el: h('table.table.streams', { 'data-testid': 'streams' },
      h('thead', h('tr', h('th', all), h('th', 'Stream'), h('th', 'Sync mode'), h('th', 'Cursor'), h('th', 'Primary key'), h('th', 'Columns'))),
      rows.map(r => r.el)),
    value: () => rows.map(r => r.value()).filter(Boolean),
  };
}

function streamRow(stream, destinationModes) {
  const columns = (stream['x-sluice-columns'] ?? Object.keys(stream.json_schema?.properties ?? {}).map(name => ({ name })));
  const pk = (stream.source_defined_primary_key ?? []).map(p => p[0]);
  const supported = stream.supported_sync_modes ?? ['full_refresh'];
  const available = modes.filter(([s, d]) => supported.includes(s) && (!destinationModes?.length || destinationModes.includes(d)));
  const selected = h('input', { type: 'checkbox', checked: true, 'aria-label': 'Sync ' + stream.name });
  const mode = h('select', { 'aria-label': 'Sync mode of ' + stream.name },
    (available.length ? available : modes.slice(0, 1)).map(([s, d, text], i) => h('option', { value: s + '|' + d, selected: i === 0 }, text)));
  const candidates = stream['x-sluice-cursor-candidates']?.length ? stream['x-sluice-cursor-candidates'] : columns.map(c => c.name);
  const cursor = h('select', { 'aria-label': 'Cursor of ' + stream.name },
    h('option', { value: '' }, '—'),
    candidates.map(c => h('option', { value: c, selected: stream.default_cursor_field?.[0] === c }, c)));
  const key = h('select', { 'aria-label': 'Primary key of ' + stream.name, multiple: columns.length > 1, size: 1 },
    columns.map(c => h('option', { value: c.name, selected: pk.includes(c.name) }, c.name)));
  const columnBoxes = columns.map(c => h('label.column', h('input', { type: 'checkbox', checked: true, value: c.name }), ' ', c.name, c.type ? h('small.muted', ' ' + c.type) : null));
  const columnSummary = h('summary', `${columns.length} of ${columns.length}`);
  const details = h('details', columnSummary, h('div.columns', columnBoxes));
  details.addEventListener('change', () => { columnSummary.textContent = `${columnBoxes.filter(b => b.firstChild.checked).length} of ${columns.length}`; });
  const syncCursor = () => { cursor.disabled = !mode.value.startsWith('incremental'); };
  mode.addEventListener('change', syncCursor);
  syncCursor();
  const label = stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name;
  const el = h('tr', { 'data-stream': stream.name },
    h('td', selected), h('td', h('strong', label), stream['x-sluice-estimated-rows'] != null ? h('small.muted', ` ~${stream['x-sluice-estimated-rows']} rows`) : null),
    h('td', mode), h('td', cursor), h('td', key), h('td', details));
  return {
    el,
    setSelected: v => { selected.checked = v; },
    value() {
      if (!selected.checked) return null;
      const [syncMode, destinationMode] = mode.value.split('|');
      const chosen = columnBoxes.filter(b => b.firstChild.checked).map(b => b.firstChild.value);
      const keys = [...key.selectedOptions].map(o => o.value);
      const out = { name: stream.name, sync_mode: syncMode, destination_sync_mode: destinationMode };
      if (stream.namespace) out.namespace = stream.namespace;
      if (chosen.length < columns.length) out.columns = chosen;
      if (syncMode === 'incremental' && cursor.value) out.cursor_field = [cursor.value];
      if (keys.length && keys.join() !== pk.join()) out.primary_key = keys;
      return out;
    },
  };
}
