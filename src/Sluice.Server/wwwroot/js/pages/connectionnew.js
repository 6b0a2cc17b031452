// New connection: the connection form, or an empty state saying what to add first.
import { h } from '../dom.js';
import { flash, navigate } from '../main.js';
import { actorsForConnection, connectionForm } from '../components/connectionform.js';
import { empty, pageHeader } from '../components/ui.js';

export async function connectionNewPage() {
  const { sources, destinations } = await actorsForConnection();
  if (sources.length === 0 || destinations.length === 0) {
    const missing = sources.length === 0 ? 'source' : 'destination';
    return h('div', pageHeader('New connection'), empty(`First add a ${missing}`,
      'A connection needs a source to read from and a destination to write to.', h('a.button.primary', { href: `/${missing}s/new` }, `Add a ${missing}`)));
  }
  return h('div', pageHeader('New connection'),
    connectionForm({ existing: null, sources, destinations, onSaved: saved => { flash('ok', 'Connection created.', 'Press "Sync now" to copy the data now.'); navigate('/connections/' + saved.id); } }));
}
