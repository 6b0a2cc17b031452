// Sign in with a user name and password; the server sets the session and CSRF cookies.
import { h } from '../dom.js';
import { api } from '../api.js';
import { busy, problemAlert } from '../components/ui.js';

export function loginPage(onSignedIn) {
  const user = h('input#login-user', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input#login-password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('div');
  const button = h('button.primary', { type: 'submit' }, 'Sign in');
  const form = h('form.card.login', {
    onsubmit: async e => {
      e.preventDefault();
      message.replaceChildren();
      try {
        await busy(button, 'Signing in…', () => api.post('/auth/login', { username: user.value, password: password.value }));
        await onSignedIn();
      } catch (err) { message.replaceChildren(problemAlert(err)); }
    },
  },
  h('h1', h('span.logo', '≋'), ' Sluice'),
  h('p.muted', 'Sign in to manage your data pipelines.'),
  h('div.field', h('label', { for: 'login-user' }, 'User name'), user),
  h('div.field', h('label', { for: 'login-password' }, 'Password'), password),
  message, button,
  h('small.help', 'First start? The admin password is SLUICE_ADMIN_PASSWORD, or the one printed once on the console.'));
  return h('div.login-page', form);
}
