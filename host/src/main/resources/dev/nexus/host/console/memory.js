// The signed-in user's memory: browse and search facts, tell Nexus a fact, forget one.
import {$, h, announce, showError, rows} from './dom.js';
import {session} from './console.js';

export async function show() {
  await Promise.all([listFacts(), loadProfile()]);
}

function profilePath() {
  return `/v1/memory/profile/${encodeURIComponent(session.user)}`;
}

async function loadProfile() {
  const profile = await session.api.get(profilePath());
  $('#profile-name').value = profile.displayName || '';
  $('#profile-attributes').value = Object.entries(profile.attributes || {}).map(([k, v]) => `${k} = ${v}`).join('\n');
}

$('#profile-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const attributes = {};
  for (const line of $('#profile-attributes').value.split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at < 1) {
      showError({status: 400, title: 'Invalid attribute', detail: `'${line.trim()}' is not 'name = value'; write one per line`});
      return;
    }
    attributes[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  try {
    await session.api.call('PUT', profilePath(), {json: {displayName: $('#profile-name').value.trim(), attributes}});
    announce('Profile saved.');
  } catch (error) {
    showError(error);
  }
});

async function listFacts(said) {
  const body = await session.api.get('/v1/memory/facts', {user: session.user, limit: 200});
  render(body.facts.map((f) => ({id: f.id, text: f.fact, category: f.category, personality: f.personality, source: f.source})));
  announce(said || `${body.facts.length} facts.`);
}

function render(items) {
  rows($('#memory-table tbody'), items, (item) => h('tr', {},
    h('td', {}, item.text), h('td', {}, item.category || item.kind || ''), h('td', {}, item.personality || 'all'),
    h('td', {}, item.source || (item.score !== undefined ? `score ${Number(item.score).toFixed(2)}` : '')),
    h('td', {}, item.kind && item.kind !== 'fact' ? '' : h('button', {type: 'button', class: 'danger',
      'aria-label': `Forget: ${item.text.slice(0, 60)}`, onclick: () => forget(item)}, 'Forget'))),
  'Nothing remembered yet.', 5);
}

async function forget(item) {
  if (!confirm(`Forget this fact for good?\n\n${item.text}`)) return;
  showError(null);
  try {
    await session.api.del(`/v1/memory/facts/${encodeURIComponent(item.id)}`);
    await listFacts('Forgotten.');
  } catch (error) {
    showError(error);
  }
}

$('#memory-search').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const q = $('#memory-q').value.trim();
  try {
    if (!q) { await listFacts(); return; }
    const body = await session.api.get('/v1/memory/search', {q, user: session.user, limit: 50});
    render(body.results);
    announce(`${body.results.length} memories match.`);
  } catch (error) {
    showError(error);
  }
});
$('#memory-all').addEventListener('click', () => { $('#memory-q').value = ''; listFacts().catch(showError); });
$('#memory-add').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  try {
    await session.api.post('/v1/memory/facts', {user: session.user, fact: $('#memory-fact').value.trim()});
    $('#memory-fact').value = '';
    await listFacts('Remembered.');
  } catch (error) {
    showError(error);
  }
});
