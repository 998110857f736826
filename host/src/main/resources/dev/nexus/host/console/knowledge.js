// Knowledge packs and, for admins, their activation per personality (always, never, or by topic),
// upload of packs and lorebooks, and deletion of uploaded ones.
import {$, h, fill, announce, showError, rows} from './dom.js';
import {session} from './console.js';

export async function show() {
  const [packs, personalities] = await Promise.all([session.api.get('/v1/knowledge/packs'), session.api.get('/v1/personalities')]);
  const select = $('#knowledge-personality');
  const chosen = select.value;
  fill(select, personalities.personalities.map((p) => h('option', {value: p.id}, `${p.name} (${p.id})`)));
  if (chosen) select.value = chosen;
  const personality = select.value;
  const details = await Promise.all(packs.packs.map((p) => session.api.get(`/v1/knowledge/packs/${encodeURIComponent(p.id)}`)));
  rows($('#knowledge-table tbody'), packs.packs, (pack, index) => {
    const current = (details[index].activations || {})[personality] || 'topic';
    const control = h('select', {'aria-label': `Activation of ${pack.name} for ${personality}`, disabled: !session.can('admin')},
      h('option', {value: 'topic'}, 'by topic'), h('option', {value: 'always'}, 'always'), h('option', {value: 'never'}, 'never'));
    control.value = current;
    control.addEventListener('change', () => activate(pack, personality, control.value));
    return h('tr', {},
      h('td', {}, h('strong', {}, pack.name), h('div', {class: 'muted small'}, `${pack.id} ${pack.version || ''} · ${pack.origin || ''}`)),
      h('td', {}, pack.category || ''), h('td', {}, (pack.topics || []).slice(0, 8).join(', ')),
      h('td', {}, `${pack.facts} / ${pack.entries}`), h('td', {}, control),
      h('td', {}, session.can('admin') && pack.origin === 'imported' ? h('button', {type: 'button', class: 'secondary',
        'aria-label': `Delete ${pack.name}`, onclick: () => remove(pack)}, 'Delete') : ''));
  }, 'No knowledge packs.', 6);
  if (packs.problems && packs.problems.length) showError({status: 'Pack problems', title: '', detail: packs.problems.join('; ')});
  announce(`${packs.packs.length} knowledge packs.`);
}

async function activate(pack, personality, mode) {
  showError(null);
  const path = `/v1/knowledge/packs/${encodeURIComponent(pack.id)}/activation`;
  try {
    if (mode === 'topic') await session.api.call('DELETE', path, {query: {personality}});
    else await session.api.post(path, {personality, mode});
    announce(`${pack.name} for ${personality}: ${mode === 'topic' ? 'by topic' : mode}.`);
  } catch (error) {
    showError(error);
    await show();
  }
}

$('#knowledge-personality').addEventListener('change', () => show().catch(showError));

/** Uploads a Nexus pack (YAML/JSON) or a World Info / lorebook_v3 file, told apart by their content. */
async function upload(file) {
  showError(null);
  fill($('#pack-result'));
  const text = await file.text();
  const name = file.name;
  let created;
  try {
    if (/\.(ya?ml|pack)$/i.test(name) || !text.trimStart().startsWith('{')) {
      created = await session.api.call('POST', '/v1/knowledge/packs', {body: text, type: 'application/yaml'});
    } else if (isLorebook(text)) {
      const id = $('#pack-id').value.trim() || slug(name);
      created = await session.api.call('POST', '/v1/knowledge/lorebooks', {body: text, type: 'application/json', query: {id, name}});
    } else {
      created = await session.api.call('POST', '/v1/knowledge/packs', {body: text, type: 'application/json'});
    }
  } catch (error) {
    showError(error);
    return;
  }
  // The table first: a result shown while the old table is still there invites a click on a row about to be replaced.
  await show();
  fill($('#pack-result'), 'Uploaded ', h('code', {}, created.id), ` (${created.facts} facts, ${created.entries} entries).`);
}

/** A World Info file has an "entries" object; a lorebook_v3 says so in "spec". Anything else is a Nexus pack. */
function isLorebook(text) {
  try {
    const tree = JSON.parse(text);
    return tree !== null && typeof tree === 'object' && (tree.spec === 'lorebook_v3' || (tree.entries && typeof tree.entries === 'object'));
  } catch (e) {
    return false; // the server names what is wrong with it
  }
}

function slug(fileName) {
  const base = fileName.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (base || 'lorebook').slice(0, 64);
}

async function remove(pack) {
  if (!window.confirm(`Delete the pack ${pack.name} (${pack.id})?`)) return;
  try {
    await session.api.del(`/v1/knowledge/packs/${encodeURIComponent(pack.id)}`);
    await show();
    announce(`Deleted ${pack.name}.`);
  } catch (error) {
    showError(error);
  }
}

$('#pack-file').addEventListener('change', (event) => {
  const [file] = event.target.files;
  if (file) upload(file).catch(showError);
  event.target.value = '';
});
