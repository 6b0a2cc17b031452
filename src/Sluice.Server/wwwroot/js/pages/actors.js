// Sources or destinations: the list a page at a time, with an empty state that says what to do first.
import { h } from '../dom.js';
import { itemsOf } from '../api.js';
import { empty, pageHeader, when, badge } from '../components/ui.js';
import { familyOf } from '../components/catalogue.js';
import { firstPage, pagedTable } from '../components/pager.js';

export async function actorsPage(kind) {
  const singular = kind === 'sources' ? 'source' : 'destination';
  const page = await firstPage('/' + kind);
  const add = h('a.button.primary', { href: `/${kind}/new` }, `New ${singular}`);
  const title = kind === 'sources' ? 'Sources' : 'Destinations';
  if (itemsOf(page).length === 0) {
    return h('div', pageHeader(title),
      empty(`No ${kind} yet`, kind === 'sources'
        ? 'A source is a system Sluice reads from: a database, files or an API. Add one, then connect it to a destination.'
        : 'A destination is where Sluice writes: a warehouse, a database or files. Add one to start moving data.', add));
  }
  return h('div', pageHeader(title, add),
    pagedTable({ path: '/' + kind, page, testid: kind + '-table', columns: ['Name', 'Connector', 'Updated'], row: a => h('tr', { 'data-actor': a.name },
      h('td', h('a', { href: `/${kind}/${a.id}` }, a.name)),
      h('td', a.connector, ' ', badge(familyOf(a.connector), 'family')),
      h('td', when(a.updatedAt))) }));
}
