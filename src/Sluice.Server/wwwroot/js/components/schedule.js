// Schedule picker: manual, every N minutes/hours/days, or a cron expression. Under it, in words what the schedule
// means and the next times it fires, computed by the server (GET /schedules/preview) with the scheduler's own code.
import { h } from '../dom.js';
import { api } from '../api.js';

const presets = [['0 * * * *', 'hourly'], ['0 3 * * *', 'daily at 03:00'], ['0 3 * * 1', 'Mondays at 03:00'], ['*/15 * * * *', 'every 15 minutes'], ['0 0 1 * *', 'monthly']];

// The IANA zones the browser knows, offered as suggestions; the server decides what is valid.
const zones = () => { try { return ['UTC', ...Intl.supportedValuesOf('timeZone').filter(z => z !== 'UTC')]; } catch { return ['UTC']; } };

/**
 * schedulePicker(current, { timeZone }) → { el, value(), timeZone(), setError(message), setZoneError(message) };
 * value() is null for manual. Cron schedules are read in the chosen IANA time zone, and the next runs are shown in it.
 */
export function schedulePicker(current, { timeZone = 'UTC' } = {}) {
  const every = /^@every\s+(\d+)([mhd])$/i.exec(current?.trim() ?? '');
  const kind = h('select', { 'aria-label': 'Schedule type' },
    [['manual', 'Manual only'], ['interval', 'Every…'], ['cron', 'Cron expression']].map(([v, t]) => h('option', { value: v }, t)));
  const amount = h('input', { type: 'number', min: 1, value: every?.[1] ?? 1, 'aria-label': 'Interval', class: 'narrow' });
  const unit = h('select', { 'aria-label': 'Interval unit' }, [['m', 'minutes'], ['h', 'hours'], ['d', 'days']].map(([v, t]) => h('option', { value: v, selected: v === (every?.[2] ?? 'h') }, t)));
  const cron = h('input.mono', { placeholder: '0 3 * * *', 'aria-label': 'Cron expression', value: current && !every ? current : '', list: 'cron-presets', autocomplete: 'off' });
  const presetList = h('datalist#cron-presets', presets.map(([v, t]) => h('option', { value: v }, t)));
  const interval = h('span.inline', amount, unit);
  const zone = h('input.zone', { 'aria-label': 'Time zone', value: timeZone || 'UTC', list: 'time-zones', autocomplete: 'off', placeholder: 'UTC', spellcheck: false });
  const zoneList = h('datalist#time-zones', zones().map(z => h('option', { value: z })));
  const zoneBox = h('label.inline.zone-box', 'in ', zone, zoneList);
  const zoneError = h('div.field-error', { 'data-testid': 'timezone-error', 'aria-live': 'polite' });
  const zoneOf = () => zone.value.trim() || 'UTC';
  const description = h('div.schedule-description', { 'data-testid': 'schedule-preview' });
  const next = h('ol.next-runs', { 'data-testid': 'schedule-next' });
  const error = h('div.field-error', { 'data-testid': 'schedule-error', 'aria-live': 'polite' });
  kind.value = !current ? 'manual' : every ? 'interval' : 'cron';

  const value = () => kind.value === 'manual' ? null
    : kind.value === 'interval' ? `@every ${Math.max(1, Math.floor(Number(amount.value) || 1))}${unit.value}`
    : cron.value.trim() || null;

  let sequence = 0;
  let timer = null;
  const preview = async () => {
    const text = value();
    const mine = ++sequence;
    error.textContent = '';
    zoneError.textContent = '';
    next.replaceChildren();
    if (!text) {
      description.textContent = kind.value === 'manual' ? 'Runs only when you press "Sync now" (or call the API).' : 'Type a cron expression: minute hour day month weekday.';
      return;
    }
    description.textContent = describe(text) + ' · checking…';
    try {
      const result = await api.get('/schedules/preview', { schedule: text, timezone: zoneOf(), count: 5 });
      if (mine !== sequence) return;
      description.textContent = describe(text);
      next.replaceChildren(h('li.label', 'Next runs:'), ...result.next.map(t => h('li', { title: t }, fireTime(t, result.timeZone))));
    } catch (err) {
      if (mine !== sequence) return;
      description.textContent = '';
      if (err.errors?.timezone) zoneError.textContent = 'Time zone: ' + err.errors.timezone.map(m => m.replace(/^timezone: /, '')).join('; ');
      else error.textContent = (err.errors?.schedule ?? [err.message]).map(m => m.replace(/^schedule: /, '')).join('; ');
    }
  };
  const update = () => {
    interval.hidden = kind.value !== 'interval';
    cron.hidden = kind.value !== 'cron';
    // Intervals count from the epoch whatever the zone; only cron reads wall-clock times.
    zoneBox.hidden = kind.value !== 'cron';
    clearTimeout(timer);
    timer = setTimeout(preview, kind.value === 'cron' || kind.value === 'interval' ? 350 : 0);
  };
  [kind, amount, unit, cron, zone].forEach(e => e.addEventListener('input', update));
  update();
  return {
    el: h('div.schedule', h('div.schedule-inputs', kind, interval, cron, presetList, zoneBox), description, next, error, zoneError),
    value,
    timeZone: () => kind.value === 'cron' ? zoneOf() : null,
    setError: message => { error.textContent = message.replace(/^schedule: /, ''); },
    setZoneError: message => { zoneError.textContent = message ? 'Time zone: ' + message.replace(/^time ?zone: /i, '') : ''; },
  };
}

/** A fire time in the schedule's time zone, e.g. "Mon 23 Nov, 03:00 UTC · in 2 h". */
export function fireTime(iso, timeZone = 'UTC') {
  const date = new Date(iso);
  let text;
  try {
    text = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(date);
  } catch {
    text = date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  }
  return `${text} · ${relative(date)}`;
}

export function relative(date) {
  const minutes = Math.round((date - Date.now()) / 60000);
  const abs = Math.abs(minutes);
  const span = abs < 1 ? 'less than a minute' : abs < 90 ? `${abs} min` : abs < 36 * 60 ? `${Math.round(abs / 60)} h` : `${Math.round(abs / 1440)} days`;
  return minutes < 0 ? `${span} ago` : abs < 1 ? 'now' : `in ${span}`;
}

/** A schedule in words, for lists and the connection page; the exact times come from the preview endpoint. */
export function describe(expr) {
  if (!expr || /^(manual|none)$/i.test(expr.trim())) return 'Manual';
  const text = expr.trim();
  const every = /^@every\s+(.+)$/i.exec(text);
  if (every) return `Every ${every[1].replace(/(\d+)m$/, '$1 min').replace(/(\d+)h$/, '$1 h').replace(/(\d+)d$/, '$1 day(s)')}`;
  const named = { '@hourly': 'Every hour', '@daily': 'Every day at 00:00', '@midnight': 'Every day at 00:00', '@weekly': 'Sundays at 00:00', '@monthly': 'On the 1st of every month at 00:00', '@yearly': 'Every 1 January at 00:00', '@annually': 'Every 1 January at 00:00' };
  if (named[text.toLowerCase()]) return named[text.toLowerCase()];
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `Cron "${text}"`;
  const [min, hour, dom, mon, dow] = parts;
  const star = p => p === '*';
  const step = p => /^\*\/(\d+)$/.exec(p)?.[1];
  const num = p => /^\d+$/.test(p);
  const days = { 0: 'Sundays', 1: 'Mondays', 2: 'Tuesdays', 3: 'Wednesdays', 4: 'Thursdays', 5: 'Fridays', 6: 'Saturdays', 7: 'Sundays', '1-5': 'weekdays' };
  if (step(min) && star(hour) && star(dom) && star(mon) && star(dow)) return `Every ${step(min)} minutes`;
  if (star(min) && star(hour) && star(dom) && star(mon) && star(dow)) return 'Every minute';
  if (num(min) && step(hour) && star(dom) && star(mon) && star(dow)) return `Every ${step(hour)} hours at minute ${min}`;
  if (num(min) && star(hour) && star(dom) && star(mon) && star(dow)) return `Every hour at minute ${min}`;
  if (num(min) && num(hour) && star(mon)) {
    const at = `${hour.padStart(2, '0')}:${min.padStart(2, '0')}`;
    if (star(dom) && star(dow)) return `Every day at ${at}`;
    if (star(dom) && days[dow]) return `${capital(days[dow])} at ${at}`;
    if (num(dom) && star(dow)) return `On day ${dom} of every month at ${at}`;
  }
  return `Cron "${text}"`;
}

const capital = s => s[0].toUpperCase() + s.slice(1);
