// A DAG's graph: tasks as boxes in dependency layers (left to right), arrows from each task to those waiting on
// it, each box coloured by the task's state in the run shown. Plain SVG, laid out here: no library.
const NS = 'http://www.w3.org/2000/svg';
const W = 168, H = 46, GAP_X = 64, GAP_Y = 18, PAD = 12;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** dagGraph(tasks: [{id, type, dependsOn}], states: {taskId: state}, onPick(taskId)) → an <svg>. */
export function dagGraph(tasks, states = {}, onPick = null) {
  const byId = new Map(tasks.map(t => [t.id, t]));
  const level = new Map();
  const depth = (id, seen = new Set()) => {
    if (level.has(id)) return level.get(id);
    if (seen.has(id)) return 0; // a cycle cannot be applied, but never loop on bad data
    seen.add(id);
    const deps = (byId.get(id)?.dependsOn ?? []).filter(d => byId.has(d));
    const d = deps.length ? 1 + Math.max(...deps.map(x => depth(x, seen))) : 0;
    level.set(id, d);
    return d;
  };
  tasks.forEach(t => depth(t.id));
  const columns = [];
  tasks.forEach(t => (columns[level.get(t.id)] ??= []).push(t));
  const place = new Map();
  columns.forEach((col, x) => col.forEach((t, y) => place.set(t.id, { x: PAD + x * (W + GAP_X), y: PAD + y * (H + GAP_Y) })));
  const width = PAD * 2 + columns.length * W + (columns.length - 1) * GAP_X;
  const height = PAD * 2 + Math.max(...columns.map(c => c.length)) * (H + GAP_Y) - GAP_Y;

  const edges = tasks.flatMap(t => (t.dependsOn ?? []).filter(d => place.has(d)).map(d => {
    const a = place.get(d), b = place.get(t.id);
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x - 4, y2 = b.y + H / 2, mid = (x1 + x2) / 2;
    return svg('path', { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, class: 'edge', 'marker-end': 'url(#arrow)', 'data-edge': `${d}->${t.id}` });
  }));
  const nodes = tasks.map(t => {
    const { x, y } = place.get(t.id);
    const state = states[t.id] ?? 'none';
    const g = svg('g', { class: `node node-${state}`, transform: `translate(${x},${y})`, 'data-task': t.id, 'data-state': state, tabindex: onPick ? 0 : undefined, role: onPick ? 'button' : undefined, 'aria-label': `task ${t.id}: ${state}` },
      svg('title', {}, `${t.id} (${t.type}) — ${state}${t.dependsOn?.length ? '\nafter ' + t.dependsOn.join(', ') : ''}`),
      svg('rect', { width: W, height: H, rx: 7 }),
      svg('rect', { class: 'state-bar', width: 6, height: H, rx: 3 }),
      svg('text', { x: 16, y: 20, class: 'node-id' }, t.id.length > 20 ? t.id.slice(0, 19) + '…' : t.id),
      svg('text', { x: 16, y: 36, class: 'node-type' }, `${t.type} · ${state === 'none' ? 'not run' : state.replaceAll('_', ' ')}`));
    if (onPick) {
      g.addEventListener('click', () => onPick(t.id));
      g.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onPick(t.id); } });
    }
    return g;
  });
  return svg('svg', { class: 'dag-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'task graph', 'data-testid': 'dag-graph' },
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }))),
    edges, nodes);
}
