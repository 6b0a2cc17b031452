// Lists longer than a page: the first page is shown, and "Load more" follows the API's nextCursor, page by page.
import { h } from '../dom.js';
import { api, itemsOf, pageSize } from '../api.js';
import { busy, problemAlert } from './ui.js';

/** The first page of `path` (newest or first by name, as the API orders it), asked with the UI's page size. */
export const firstPage = (path, query = {}) => api.get(path, { ...query, limit: pageSize() });

/**
 * moreButton(path, query, page, onItems) → a "Load more" button, hidden once the API says there is no next page.
 * Each click fetches the page after the last one and hands its items to `onItems`.
 */
export function moreButton(path, query, page, onItems, label = 'Load more') {
  let cursor = page?.nextCursor ?? null;
  const error = h('span');
  const button = h('button.secondary.small', { type: 'button', 'data-testid': 'load-more', hidden: !cursor }, label);
  button.addEventListener('click', () => busy(button, 'Loading…', async () => {
    error.replaceChildren();
    try {
      const next = await api.get(path, { ...query, limit: pageSize(), cursor });
      cursor = next?.nextCursor ?? null;
      onItems(itemsOf(next));
      button.hidden = !cursor;
    } catch (err) { error.replaceChildren(problemAlert(err)); }
  }));
  return h('div.load-more', button, error);
}

/**
 * pagedTable({ path, query, page, columns, row, testid }) → a table of the first page's rows with "Load more" under
 * it, and a count of the rows shown.
 */
export function pagedTable({ path, query = {}, page, columns, row, testid }) {
  const body = h('tbody');
  const shown = h('small.muted', { 'data-testid': testid ? testid + '-count' : undefined });
  const add = items => {
    body.append(...items.map(row));
    shown.textContent = `${body.children.length} shown`;
  };
  const more = moreButton(path, query, page, add);
  add(itemsOf(page));
  more.append(shown);
  return h('div.paged', h('table.table', { 'data-testid': testid }, h('thead', h('tr', columns.map(c => h('th', c)))), body), more);
}
