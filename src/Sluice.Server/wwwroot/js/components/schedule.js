// Schedule picker: manual, every N minutes/hours, or a cron expression, with a plain-language preview.
// The API has no "next runs" endpoint, so the preview is a description, not computed times.
import { h } from '../dom.js';

export function schedulePicker(current) {
  const kind = h('select', { 'aria-label': 'Schedule type' },
    [['manual', 'Manual only'], ['interval', 'Every…'], ['cron', 'Cron expression']].map(([v, t]) => h('option', { value: v }, t)));
  const every = h('input', { type: 'number', min: 1, value: 1, 'aria-label': 'Interval' });
  const unit = h('select', { 'aria-label': 'Interval unit' }, h('option', { value: 'h' }, 'hours'), h('option', { value: 'm' }, 'minutes'));
  const cron = h('input', { placeholder: '0 3 * * *', 'aria-label': 'Cron expression', value: current ?? '' });
  const preview = h('small.help', { 'data-testid': 'schedule-preview' });
  const interval = h('span.inline', every, unit);
  kind.value = !current ? 'manual' : 'cron';
  const value = () => kind.value === 'manual' ? null
    : kind.value === 'interval' ? (unit.value === 'm' ? `*/${every.value} * * * *` : `0 */${every.value} * * *`)
    : cron.value.trim() || null;
  const update = () => {
    interval.hidden = kind.value !== 'interval';
    cron.hidden = kind.value !== 'cron';
    preview.textContent = kind.value === 'manual' ? 'Runs only when you press "Sync now" (or call the API).' : describe(value());
  };
  [kind, every, unit, cron].forEach(e => e.addEventListener('input', update));
  update();
  return { el: h('div.schedule', kind, interval, cron, preview), value };
}

export function describe(expr) {
  if (!expr) return 'Manual';
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return `Cron "${expr}" (minute hour day month weekday, UTC)`;
  const [min, hour, dom, mon, dow] = parts;
  const star = p => p === '*';
  const step = p => /^\*\/(\d+)$/.exec(p)?.[1];
  if (step(min) && star(hour) && star(dom) && star(mon) && star(dow)) return `Every ${step(min)} minute(s)`;
  if (/^\d+$/.test(min) && step(hour) && star(dom) && star(mon) && star(dow)) return `Every ${step(hour)} hour(s), at minute ${min}`;
  if (/^\d+$/.test(min) && star(hour) && star(dom) && star(mon) && star(dow)) return `Every hour at minute ${min}`;
  if (/^\d+$/.test(min) && /^\d+$/.test(hour) && star(dom) && star(mon)) {
    const at = `${hour.padStart(2, '0')}:${min.padStart(2, '0')} UTC`;
    return star(dow) ? `Every day at ${at}` : `At ${at} on weekday(s) ${dow}`;
  }
  return `Cron "${expr}" (minute hour day month weekday, UTC)`;
}
