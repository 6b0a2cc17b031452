// Sources or destinations: the list, with an empty state that says what to do first.
import { h } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { empty, pageHeader, table, when, badge } from '../components/ui.js';
import { familyOf } from '../components/catalogue.js';

export async function actorsPage(kind) {
  const singular = kind === 'sources' ? 'source' : 'destination';
  const page = { items: itemsOf(await api.get('/' + kind)) };
  const add = h('a.button.primary', { href: `/${kind}/new` }, `New ${singular}`);
  const title = kind === 'sources' ? 'Sources' : 'Destinations';
  if (page.items.length === 0) {
    return h('div', pageHeader(title),
      empty(`No ${kind} yet`, kind === 'sources'
        ? 'A source is a system Sluice reads from: a database, files or an API. Add one, then connect it to a destination.'
        : 'A destination is where Sluice writes: a warehouse, a database or files. Add one to start moving data.', add));
  }
  return h('div', pageHeader(title, add),
    table(['Name', 'Connector', 'Updated'], page.items.map(a => h('tr',
      h('td', h('a', { href: `/${kind}/${a.id}` }, a.name)),
      h('td', a.connector, ' ', badge(familyOf(a.connector), 'family')),
      h('td', when(a.updatedAt)))), { testid: kind + '-table' }));
}
