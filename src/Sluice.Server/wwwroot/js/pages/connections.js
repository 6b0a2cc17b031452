// All connections with their status and last sync.
import { h } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { describe } from '../components/schedule.js';
import { badge, empty, pageHeader, table, when } from '../components/ui.js';

export async function connectionsPage() {
  const [connections, sources, destinations, jobs] = (await Promise.all([
    api.get('/connections'), api.get('/sources'), api.get('/destinations'), api.get('/jobs', { limit: 200 })])).map(list => ({ items: itemsOf(list) }));
  const nameOf = (list, id) => list.items.find(a => a.id === id)?.name ?? '?';
  const add = h('a.button.primary', { href: '/connections/new' }, 'New connection');
  if (connections.items.length === 0) {
    const next = sources.items.length === 0 ? h('a.button.primary', { href: '/sources/new' }, 'Add a source')
      : destinations.items.length === 0 ? h('a.button.primary', { href: '/destinations/new' }, 'Add a destination') : add;
    return h('div', pageHeader('Connections'), empty('No connections yet',
      'A connection copies streams from a source to a destination, by hand or on a schedule. ' +
      (sources.items.length === 0 ? 'Start by adding a source.' : destinations.items.length === 0 ? 'Now add a destination.' : 'Create one from your source and destination.'), next));
  }
  const last = id => jobs.items.find(j => j.connectionId === id);
  return h('div', pageHeader('Connections', add),
    table(['Name', 'Source → destination', 'Streams', 'Schedule', 'Status', 'Last sync'], connections.items.map(c => {
      const job = last(c.id);
      return h('tr', { 'data-connection': c.name },
        h('td', h('a', { href: `/connections/${c.id}` }, c.name)),
        h('td', nameOf(sources, c.sourceId), ' → ', nameOf(destinations, c.destinationId)),
        h('td.num', c.streams?.length ?? '—'),
        h('td', describe(c.schedule)),
        h('td', badge(c.status)),
        h('td', job ? [badge(job.status), ' ', when(job.createdAt)] : 'never'));
    }), { testid: 'connections-table' }));
}
