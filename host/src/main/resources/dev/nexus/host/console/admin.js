// Approvals (live over SSE), personalities (import by upload or drop, export), API keys and plugins.
import {$, h, fill, announce, showError, when, rows} from './dom.js';
import {session, go} from './console.js';
import {personalitiesChanged} from './chat.js';

// ---- Approvals --------------------------------------------------------------------------------

let watcher = null;

/** Lists proposals in the chosen state; {quiet} leaves the status line alone (live refreshes). */
export async function showProposals(options = {}) {
  const body = await session.api.get('/v1/proposals', {state: $('#proposals-state').value});
  const list = $('#proposals-list');
  // A live refresh that changes nothing leaves the cards alone (and the reviewer's open details open).
  const signature = $('#proposals-state').value + '|' + body.proposals.map((p) => `${p.id}:${p.state}`).join(',');
  if (options.quiet && list.dataset.signature === signature) return;
  list.dataset.signature = signature;
  fill(list, body.proposals.length ? body.proposals.map(proposalCard)
    : h('p', {class: 'muted'}, 'No proposals in this state.'));
  if ($('#proposals-state').value === 'pending') pendingCount(body.proposals.length);
  if (!options.quiet) announce(`${body.proposals.length} proposals.`);
}

function pendingCount(n) {
  const badge = $('#pending-count');
  badge.hidden = n === 0;
  fill(badge, String(n));
  badge.setAttribute('aria-label', `${n} pending`);
}

function proposalCard(p) {
  const payload = p.payload || {};
  const diff = Array.isArray(payload.diff) ? payload.diff : [];
  const article = h('article', {class: 'proposal card', 'aria-labelledby': `proposal-${p.id}`},
    h('h3', {id: `proposal-${p.id}`}, `${p.kind} · ${p.subject}`, ' ', h('span', {class: `state state-${p.state}`}, p.state)),
    h('dl', {class: 'facts'},
      h('dt', {}, 'Proposed by'), h('dd', {}, p.proposer),
      h('dt', {}, 'Created'), h('dd', {}, when(p.createdAt)),
      h('dt', {}, 'Expires'), h('dd', {}, when(p.expiresAt)),
      p.baseVersion !== null && p.baseVersion !== undefined ? [h('dt', {}, 'Base version'), h('dd', {}, String(p.baseVersion))] : null,
      h('dt', {}, 'SHA-256'), h('dd', {}, h('code', {class: 'hash'}, p.sha256)),
      p.decision ? [h('dt', {}, 'Decision'), h('dd', {}, typeof p.decision === 'string' ? p.decision : JSON.stringify(p.decision))] : null),
    diff.length ? h('table', {class: 'diff'},
      h('caption', {}, 'Changes'),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Trait'), h('th', {scope: 'col'}, 'From'), h('th', {scope: 'col'}, 'To'))),
      h('tbody', {}, diff.map((d) => h('tr', {}, h('td', {}, d.trait), h('td', {}, fmt(d.from)), h('td', {class: 'to'}, fmt(d.to)))))) : null,
    payload.evidence ? h('details', {}, h('summary', {}, 'Evidence'), h('pre', {}, JSON.stringify(payload.evidence, null, 2))) : null,
    h('details', {}, h('summary', {}, 'Full payload'), h('pre', {}, JSON.stringify(payload, null, 2))),
    auditLog(p));
  if (p.state === 'pending' && session.can('approver')) article.append(decisionForm(p));
  return article;
}

/** The proposal's audit log (every transition, who and why), loaded when opened. */
function auditLog(p) {
  const details = h('details', {class: 'audit'}, h('summary', {}, 'Audit log'));
  details.addEventListener('toggle', async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = '1';
    try {
      const full = await session.api.get(`/v1/proposals/${encodeURIComponent(p.id)}`);
      details.append(h('ol', {class: 'history'}, (full.history || []).map((entry) => h('li', {},
        `${when(entry.at || entry.createdAt)} · ${entry.from || 'none'} → ${entry.to || entry.state || ''}`,
        entry.actor ? ` · by ${entry.actor}` : '', entry.reason ? ` · “${entry.reason}”` : ''))));
    } catch (error) {
      showError(error);
    }
  });
  return details;
}

function fmt(value) {
  return typeof value === 'number' ? value.toFixed(3) : String(value);
}

function decisionForm(p) {
  const id = `reason-${p.id}`;
  const form = h('form', {class: 'decide'},
    h('label', {for: id}, 'Reason (kept in the audit log)'),
    h('input', {id, name: 'reason', required: true, maxlength: 1000}),
    h('div', {class: 'actions'},
      h('button', {type: 'submit', name: 'approve', value: 'approve'}, 'Approve'),
      h('button', {type: 'submit', name: 'reject', value: 'reject', class: 'danger'}, 'Reject')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(null);
    const action = event.submitter ? event.submitter.value : 'approve';
    const reason = new FormData(form).get('reason');
    try {
      const body = action === 'approve' ? {sha256: p.sha256, reason} : {reason};
      const decided = await session.api.post(`/v1/proposals/${encodeURIComponent(p.id)}/${action}`, body);
      await showProposals({quiet: true});
      announce(`Proposal ${decided.state}.`);
    } catch (error) {
      showError(error);
    }
  });
  return form;
}

/** Follows /v1/proposals/events while signed in; each transition refreshes the list and the badge. */
export function watchProposals() {
  stopWatching();
  const controller = new AbortController();
  watcher = controller;
  let timer = null;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        if (!$('#view-proposals').hidden) await showProposals({quiet: true});
        else pendingCount((await session.api.get('/v1/proposals', {state: 'pending'})).proposals.length);
      } catch { /* the next event retries */ }
    }, 150);
  };
  const loop = async () => {
    while (!controller.signal.aborted) {
      try {
        fill($('#proposals-live'), 'live updates on');
        await session.api.events('GET', '/v1/proposals/events', undefined, (name) => { if (name === 'proposal') refresh(); },
          controller.signal);
      } catch { /* dropped or refused: retry below */ }
      if (controller.signal.aborted) return;
      fill($('#proposals-live'), 'live updates reconnecting…');
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  };
  loop();
  refresh();
}

export function stopWatching() {
  if (watcher) watcher.abort();
  watcher = null;
}

$('#proposals-state').addEventListener('change', () => showProposals().catch(showError));

// ---- Personalities ----------------------------------------------------------------------------

const FORMATS = ['ccv3', 'ccv2', 'png', 'charx', 'native'];

/** Lists personalities; {said} is announced instead of the count (what the last action did). */
export async function showPersonalities(options = {}) {
  const body = await session.api.get('/v1/personalities');
  rows($('#personalities-table tbody'), body.personalities, (p) => {
    const select = h('select', {'aria-label': `Export format for ${p.name}`}, FORMATS.map((f) => h('option', {value: f}, f)));
    return h('tr', {},
      h('td', {}, h('strong', {}, p.name), h('div', {class: 'muted small'}, p.summary || '')),
      h('td', {}, h('code', {}, p.id)), h('td', {}, String(p.version)), h('td', {}, p.source || ''),
      h('td', {class: 'nowrap'}, select, ' ', h('button', {type: 'button', class: 'secondary',
        'aria-label': `Export ${p.name}`, onclick: () => exportPersonality(p.id, select.value)}, 'Export'), ' ',
      h('button', {type: 'button', class: 'secondary', 'aria-label': `Edit ${p.name}`, onclick: () => go('editor', p.id)}, 'Edit')));
  }, 'No personalities.', 5);
  if (body.problems && body.problems.length) {
    fill($('#import-result'), h('div', {class: 'problem'}, h('strong', {}, 'Bundle problems: '), body.problems.join('; ')));
  }
  announce(options.said || `${body.personalities.length} personalities.`);
}

async function exportPersonality(id, format) {
  showError(null);
  try {
    const file = await session.api.download(`/v1/personalities/${encodeURIComponent(id)}/export`, {format});
    const url = URL.createObjectURL(file.blob);
    const link = h('a', {href: url, download: file.name});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    announce(`Exported ${file.name}${file.warnings ? ` (warnings: ${file.warnings})` : ''}.`);
  } catch (error) {
    showError(error);
  }
}

async function importFile(file) {
  showError(null);
  fill($('#import-result'), `Importing ${file.name}…`);
  try {
    const type = file.type || (file.name.endsWith('.png') ? 'image/png' : 'application/octet-stream');
    const body = await session.api.call('POST', '/v1/personalities/import', {body: file, type, query: {name: file.name}});
    fill($('#import-result'), h('p', {class: 'ok'}, `Imported ${body.name} as `, h('code', {}, body.id),
      ` (version ${body.version}, ${body.format}).`),
    body.warnings && body.warnings.length ? h('ul', {class: 'warnings'}, body.warnings.map((w) => h('li', {}, w))) : null);
    personalitiesChanged();
    await showPersonalities();
  } catch (error) {
    fill($('#import-result'));
    showError(error);
  }
}

$('#import-file').addEventListener('change', (event) => {
  const [file] = event.target.files;
  if (file) importFile(file);
  event.target.value = '';
});
const zone = $('#import-zone');
zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (event) => {
  event.preventDefault();
  zone.classList.remove('over');
  const [file] = event.dataTransfer.files;
  if (file) importFile(file);
});

// ---- Keys -------------------------------------------------------------------------------------

export async function showKeys() {
  const body = await session.api.get('/v1/keys');
  rows($('#keys-table tbody'), body.keys, (k) => h('tr', {},
    h('td', {}, k.name), h('td', {}, h('code', {}, k.prefix)), h('td', {}, k.scopes.join(', ')), h('td', {}, k.user || ''),
    h('td', {}, when(k.lastUsedAt)),
    h('td', {}, k.active ? h('button', {type: 'button', class: 'danger', 'aria-label': `Revoke key ${k.name}`,
      onclick: () => revoke(k)}, 'Revoke') : `revoked ${when(k.revokedAt)}`)),
  'No keys.', 6);
}

async function revoke(key) {
  if (!confirm(`Revoke the key '${key.name}'? Clients using it stop working at once.`)) return;
  showError(null);
  try {
    await session.api.del(`/v1/keys/${encodeURIComponent(key.id)}`);
    announce(`Key ${key.name} revoked.`);
    await showKeys();
  } catch (error) {
    showError(error);
  }
}

$('#keys-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const scopes = [...document.querySelectorAll('#keys-form input[name=scope]:checked')].map((box) => box.value);
  const request = {name: $('#key-name').value.trim(), scopes};
  if ($('#key-user').value.trim()) request.user = $('#key-user').value.trim();
  try {
    const created = await session.api.post('/v1/keys', request);
    fill($('#key-secret'), h('div', {class: 'secret'},
      h('p', {}, h('strong', {}, `Key '${created.key.name}' created. `), 'Copy the secret now: it is shown only once.'),
      h('label', {for: 'new-secret'}, 'Secret'),
      h('input', {id: 'new-secret', readonly: true, value: created.secret, spellcheck: 'false'})));
    $('#new-secret').select();
    $('#keys-form').reset();
    await showKeys();
  } catch (error) {
    showError(error);
  }
});

// ---- Plugins ----------------------------------------------------------------------------------

export async function showPlugins() {
  const body = await session.api.get('/v1/plugins');
  const admin = session.can('admin');
  rows($('#plugins-table tbody'), body.plugins, (p) => h('tr', {},
    h('td', {}, h('strong', {}, p.id), h('div', {class: 'muted small'}, p.source || '')),
    h('td', {}, p.version || ''), h('td', {}, h('span', {class: `state state-${p.state}`}, p.state)),
    h('td', {}, (p.kinds || []).join(', ')), h('td', {class: p.state === 'unconfigured' ? 'note-text' : 'error-text'}, p.error || ''),
    h('td', {}, admin && p.switchable ? switchButton(p) : '')),
  'No plugins.', 6);
  announce(`${body.plugins.length} plugins.`);
}

/**
 * Disable for a started plugin, or an unconfigured one nobody means to set up (its settings come from the
 * configuration file, so enabling it again only helps after a restart with them); Enable for a disabled
 * one; Restart for one that failed.
 */
function switchButton(p) {
  const off = p.state === 'started' || p.state === 'unconfigured';
  const action = off ? 'disable' : 'enable';
  const label = off ? 'Disable' : p.state === 'failed' ? 'Restart' : 'Enable';
  return h('button', {type: 'button', class: 'secondary', 'aria-label': `${label} ${p.id}`, onclick: async (event) => {
    event.target.disabled = true;
    try {
      const after = await session.api.post(`/v1/plugins/${encodeURIComponent(p.id)}/${action}`);
      await showPlugins();
      announce(`Plugin ${p.id} is ${after.state}.`);
    } catch (error) {
      event.target.disabled = false;
      showError(error);
    }
  }}, label);
}

// ---- Personality editor ---------------------------------------------------------------------

let editing = null;

const TEMPLATE = {id: 'new-personality', name: 'New Personality', description: 'Who it is, in a sentence or two.',
  voice: 'plain and friendly', values: ['Honesty before comfort.'], style: ['Use plain words.'],
  traits: {warmth: 0.6, verbosity: 0.4, formality: 0.3, humor: 0.3, directness: 0.6, curiosity: 0.5},
  greetings: ['Hello, {{user}}.']};

/** Shows the editor for personality {id}, or for a new one. */
export async function showEditor(id) {
  editing = id || null;
  fill($('#editor-title'), id ? `Edit ${id}` : 'New personality');
  const tree = id ? (await session.api.get(`/v1/personalities/${encodeURIComponent(id)}`)).personality : structuredClone(TEMPLATE);
  $('#editor-json').value = JSON.stringify(tree, null, 2);
  renderSliders(tree.traits || {});
  $('#editor-json').focus();
}

function renderSliders(traits) {
  fill($('#editor-traits'), Object.entries(traits).map(([name, trait]) => {
    const value = typeof trait === 'number' ? trait : Number(trait.value);
    const id = `slider-${name}`;
    const shown = h('output', {for: id}, value.toFixed(2));
    const slider = h('input', {id, type: 'range', min: trait.min ?? 0, max: trait.max ?? 1, step: 0.01, value, name});
    slider.addEventListener('input', () => { shown.value = Number(slider.value).toFixed(2); });
    return h('div', {class: 'trait-slider'}, h('label', {for: id}, name), slider, shown);
  }));
}

$('#editor-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  let tree;
  try {
    tree = JSON.parse($('#editor-json').value);
  } catch (error) {
    showError({status: 400, title: 'Invalid JSON', detail: `${error.message}; fix the text and save again`});
    return;
  }
  tree.traits = tree.traits || {};
  for (const slider of document.querySelectorAll('#editor-traits input[type=range]')) {
    const trait = tree.traits[slider.name];
    if (trait === undefined) continue;
    if (typeof trait === 'number') tree.traits[slider.name] = Number(slider.value);
    else trait.value = Number(slider.value);
  }
  try {
    const saved = editing
      ? await session.api.call('PUT', `/v1/personalities/${encodeURIComponent(editing)}`, {json: tree})
      : await session.api.post('/v1/personalities', tree);
    personalitiesChanged();
    go('personalities', {said: `Saved ${saved.id}, version ${saved.version}.`});
  } catch (error) {
    showError(error);
  }
});
$('#editor-cancel').addEventListener('click', () => go('personalities'));
$('#personality-new').addEventListener('click', () => go('editor'));

// ---- Audit log --------------------------------------------------------------------------------

let auditNext = null;

/** Shows the newest audit entries for the filters in the form; "Load older" follows the cursor. */
export async function showAudit() {
  await loadAudit(false);
}

async function loadAudit(older) {
  const form = $('#audit-form');
  const query = {limit: 50};
  for (const name of ['actor', 'action', 'target']) {
    const value = form.elements[name].value.trim();
    if (value) query[name] = value;
  }
  if (older && auditNext) query.cursor = auditNext;
  const body = await session.api.get('/v1/audit', query);
  const tbody = $('#audit-table tbody');
  const render = (e) => h('tr', {dataset: {entry: e.id}},
    h('td', {}, when(e.at)),
    h('td', {}, e.actor.name, ' ', h('code', {class: 'muted'}, e.actor.keyId)),
    h('td', {}, h('code', {}, e.action)),
    h('td', {}, h('code', {}, e.target)),
    h('td', {}, String(e.status)),
    h('td', {}, h('code', {class: 'hash', title: `${e.beforeSha256 || 'none'} → ${e.afterSha256 || 'none'}`},
      `${short(e.beforeSha256)} → ${short(e.afterSha256)}`)));
  if (older) tbody.append(...body.entries.map(render));
  else rows(tbody, body.entries, render, 'No audit entries match.', 6);
  auditNext = body.next || null;
  $('#audit-more').hidden = !auditNext;
  announce(`${tbody.querySelectorAll('tr[data-entry]').length} audit entries shown${auditNext ? '; older ones can be loaded' : ''}.`);
}

function short(hash) {
  return hash ? hash.slice(0, 12) : '—';
}

$('#audit-form').addEventListener('submit', (event) => {
  event.preventDefault();
  loadAudit(false).catch(showError);
});
$('#audit-more').addEventListener('click', () => loadAudit(true).catch(showError));
