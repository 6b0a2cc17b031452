// Edit a connection: the same form as a new one, opened on the saved streams, schedule and policy.
import { h } from '../dom.js';
import { api } from '../api.js';
import { flash, navigate } from '../main.js';
import { actorsForConnection, connectionForm } from '../components/connectionform.js';
import { link, pageHeader } from '../components/ui.js';

export async function connectionEditPage(id) {
  const [existing, { sources, destinations }] = await Promise.all([api.get(`/connections/${id}`), actorsForConnection()]);
  return h('div', pageHeader(`Edit ${existing.name}`, link(`/connections/${id}`, 'Cancel', { class: 'button' })),
    connectionForm({ existing, sources, destinations, onSaved: saved => { flash('ok', 'Saved.', 'The next sync uses the new settings.'); navigate('/connections/' + saved.id); } }));
}
