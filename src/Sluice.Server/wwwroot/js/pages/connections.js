// All connections with their status and last sync, a page at a time.
import { h } from '../dom.js';
import { api, itemsOf } from '../api.js';
import { describe } from '../components/schedule.js';
import { firstPage, pagedTable } from '../components/pager.js';
import { badge, empty, pageHeader, when } from '../components/ui.js';

export async function connectionsPage() {
  // Names of the ends and the latest jobs only label the rows: the largest page the API gives is plenty for that.
  const [page, sources, destinations, jobs] = await Promise.all([
    firstPage('/connections'), api.get('/sources', { limit: 1000 }), api.get('/destinations', { limit: 1000 }), api.get('/jobs', { limit: 200 })]);
  const [sourceList, destinationList, jobList] = [sources, destinations, jobs].map(itemsOf);
  const nameOf = (list, id) => list.find(a => a.id === id)?.name ?? '?';
  const add = h('a.button.primary', { href: '/connections/new' }, 'New connection');
  if (itemsOf(page).length === 0) {
    const next = sourceList.length === 0 ? h('a.button.primary', { href: '/sources/new' }, 'Add a source')
      : destinationList.length === 0 ? h('a.button.primary', { href: '/destinations/new' }, 'Add a destination') : add;
    return h('div', pageHeader('Connections'), empty('No connections yet',
      'A connection copies streams from a source to a destination, by hand or on a schedule. ' +
      (sourceList.length === 0 ? 'Start by adding a source.' : destinationList.length === 0 ? 'Now add a destination.' : 'Create one from your source and destination.'), next));
  }
  const last = id => jobList.find(j => j.connectionId === id);
  return h('div', pageHeader('Connections', add),
    pagedTable({ path: '/connections', page, testid: 'connections-table', columns: ['Name', 'Source → destination', 'Streams', 'Schedule', 'Status', 'Last sync'], row: c => {
      const job = last(c.id);
      return h('tr', { 'data-connection': c.name },
        h('td', h('a', { href: `/connections/${c.id}` }, c.name)),
        h('td', nameOf(sourceList, c.sourceId), ' → ', nameOf(destinationList, c.destinationId)),
        h('td.num', c.streamCount ?? c.streams?.length ?? '—'),
        h('td', describe(c.schedule), c.schedule && c.timeZone && c.timeZone !== 'UTC' ? h('small.muted', ' · ' + c.timeZone) : null),
        h('td', badge(c.status)),
        h('td', job ? [badge(job.status), ' ', when(job.createdAt)] : 'never'));
    } }));
}
