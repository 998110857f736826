// The Nexus web console: sign-in, navigation and the session. Each section lives in its own module
// and talks to the server only through Api (the same /v1 API, with the same authorization, as any
// other client). The key is kept in sessionStorage (this tab only) and never in a URL.
import {Api, ApiError} from './api.js';
import {$, announce, showError, fill} from './dom.js';
import * as chat from './chat.js';
import * as memory from './memory.js';
import * as admin from './admin.js';
import * as evolution from './evolution.js';
import * as knowledge from './knowledge.js';
import * as rooms from './rooms.js';

const KEY = 'nexus.console.key';

/** The signed-in session: the API, the user the key acts as, and its scopes. */
export const session = {api: null, user: '', scopes: new Set(), can: (scope) => session.scopes.has(scope) || session.scopes.has('admin')};

const views = {
  chat: chat.showChat, history: chat.showHistory, memory: memory.show,
  proposals: admin.showProposals, personalities: admin.showPersonalities, keys: admin.showKeys, plugins: admin.showPlugins,
  editor: admin.showEditor, evolution: evolution.show, knowledge: knowledge.show, audit: admin.showAudit,
  rooms: rooms.show,
};

async function signIn(key) {
  const api = new Api(key);
  const [user, approver, adminProbe] = await Promise.allSettled([
    api.get('/v1/conversations', {limit: 1}), api.get('/v1/proposals', {state: 'pending'}), api.get('/v1/keys')]);
  const results = [user, approver, adminProbe];
  const unauthenticated = results.find((r) => r.status === 'rejected' && r.reason instanceof ApiError && r.reason.status === 401);
  if (unauthenticated) throw unauthenticated.reason;
  const broken = results.find((r) => r.status === 'rejected' && !(r.reason instanceof ApiError && r.reason.status === 403));
  if (broken) throw broken.reason;
  session.api = api;
  session.scopes = new Set();
  if (adminProbe.status === 'fulfilled') session.scopes.add('admin');
  if (approver.status === 'fulfilled') session.scopes.add('approver');
  if (user.status === 'fulfilled') {
    session.scopes.add('user');
    session.user = user.value.user;
  }
  sessionStorage.setItem(KEY, key);
  for (const item of document.querySelectorAll('[data-needs]')) item.hidden = !session.can(item.dataset.needs);
  $('#nav').hidden = false;
  $('#who').hidden = false;
  fill($('#who-text'), [...session.scopes].sort().join(', ') + (session.user ? ` · acting as ${session.user}` : ''));
  $('#view-signin').hidden = true;
  announce('Signed in.');
  if (session.can('approver')) admin.watchProposals();
  go(session.can('user') ? 'chat' : 'proposals');
}

function signOut() {
  sessionStorage.removeItem(KEY);
  admin.stopWatching();
  chat.reset();
  rooms.reset();
  session.api = null;
  session.scopes = new Set();
  session.user = '';
  $('#nav').hidden = true;
  $('#who').hidden = true;
  for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== 'view-signin';
  $('#signin-key').value = '';
  showError(null);
  announce('Signed out.');
  $('#signin-key').focus();
}

/** Shows one section, marks its button current and lets the section load its data. */
export function go(name, ...args) {
  showError(null);
  for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== `view-${name}`;
  for (const button of document.querySelectorAll('#nav [data-view]')) {
    if (button.dataset.view === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  Promise.resolve(views[name](...args)).catch(showError);
}

$('#signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const key = $('#signin-key').value.trim();
  try {
    await signIn(key);
  } catch (error) {
    showError(error);
    $('#signin-key').focus();
  }
});
$('#sign-out').addEventListener('click', signOut);
for (const button of document.querySelectorAll('#nav [data-view]')) {
  button.addEventListener('click', () => go(button.dataset.view));
}

const saved = sessionStorage.getItem(KEY);
if (saved) {
  signIn(saved).catch((error) => { sessionStorage.removeItem(KEY); showError(error); });
} else {
  $('#signin-key').focus();
}
