// Knowledge packs and, for admins, their activation per personality (always, never, or by topic).
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
      h('td', {}, `${pack.facts} / ${pack.entries}`), h('td', {}, control));
  }, 'No knowledge packs.', 5);
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
