// The connector catalogue: a searchable grid of connectors with a badge for each one's family.
import { h } from '../dom.js';
import { badge, empty } from './ui.js';

// The API has no family field yet; the connector name says enough to group the built-in ones.
const families = [
  [/postgres|mysql|maria|mssql|oracle|sqlite|duckdb/i, 'database'],
  [/file|csv|parquet|jsonl|s3|gcs/i, 'files'],
  [/http|rest|api/i, 'api'],
  [/airbyte/i, 'airbyte'],
];
export const familyOf = name => families.find(([re]) => re.test(name))?.[1] ?? 'other';

export function catalogue(connectors, onPick) {
  const search = h('input.search', { type: 'search', placeholder: 'Search connectors…', 'aria-label': 'Search connectors' });
  const grid = h('div.catalogue', { role: 'list' });
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = connectors.filter(c => !q || c.name.toLowerCase().includes(q) || familyOf(c.name).includes(q)
      || (c.spec?.connectionSpecification?.title ?? '').toLowerCase().includes(q));
    grid.replaceChildren(...shown.map(c => h('button.connector', { type: 'button', role: 'listitem', 'data-connector': c.name, onclick: () => onPick(c) },
      h('strong', c.spec?.connectionSpecification?.title ?? c.name),
      h('span.muted', c.name),
      badge(familyOf(c.name), 'family'))));
    if (shown.length === 0) grid.replaceChildren(empty('No connector matches', `Nothing is called "${search.value}". Clear the search to see them all.`));
  };
  search.addEventListener('input', draw);
  draw();
  return h('div', search, grid);
}
