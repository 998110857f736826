// Rooms: conversations with several personalities and people. Lists the rooms you are in, creates
// one, shows who is in it and who is speaking now (from the room's event stream), the transcript you
// witnessed (protocol steps labelled with their stage and round), and runs a debate, panel or team.
import {$, h, fill, announce, showError, when} from './dom.js';
import {session} from './console.js';

let current = null;     // the open room's id
let watching = null;    // AbortController of its event stream
const shown = new Set(); // message ids already in the log
const names = new Map(); // personality id -> name

export async function show(id) {
  const [rooms, personalities] = await Promise.all([session.api.get('/v1/rooms'), session.api.get('/v1/personalities')]);
  for (const p of personalities.personalities) names.set(p.id, p.name);
  fill($('#room-personalities'), personalities.personalities.map((p) =>
    h('label', {class: 'check'}, h('input', {type: 'checkbox', value: p.id}), ` ${p.name}`)));
  fill($('#room-list'), rooms.rooms.length ? rooms.rooms.map((room) => h('li', {},
    h('button', {type: 'button', class: 'link', onclick: () => open(room.id)}, room.title),
    h('span', {class: 'muted small'}, ` ${room.policy} · ${room.personalities.length} personalities`)))
    : h('li', {class: 'muted'}, 'You are in no room yet.'));
  announce(`${rooms.rooms.length} rooms.`);
  if (id || current) await open(id || current);
}

/** Stops watching the open room (signing out, leaving the view). */
export function reset() {
  if (watching) watching.abort();
  watching = null;
  current = null;
}

async function open(id) {
  reset();
  current = id;
  shown.clear();
  const [room, page] = await Promise.all([session.api.get(`/v1/rooms/${encodeURIComponent(id)}`),
    session.api.get(`/v1/rooms/${encodeURIComponent(id)}/messages`, {limit: 500})]);
  $('#room-panel').hidden = false;
  fill($('#room-title'), room.title);
  fill($('#room-who'), 'In the room: ', [...room.personalities.map((p) => names.get(p) || p), ...room.users].join(', '),
    h('span', {class: 'muted small'}, ` · policy ${room.policy} · tokens ${room.tokensUsed} / ${room.tokenBudget}`));
  fill($('#room-log'));
  page.messages.forEach(append);
  speaking(null);
  watching = new AbortController();
  session.api.events('GET', `/v1/rooms/${encodeURIComponent(id)}/events`, undefined, (name, data) => {
    if (name === 'message') append(data);
    else if (name === 'speaking') speaking(data);
    else if (name === 'stopped') speaking(null, data.reason);
  }, watching.signal).catch((error) => { if (error.name !== 'AbortError') showError(error); });
}

function speaking(data, reason) {
  fill($('#room-speaking'), data ? `${names.get(data.personality) || data.personality} is speaking (${data.reason})…`
    : reason ? `Quiet (${reason}).` : 'Quiet.');
}

function append(message) {
  if (shown.has(message.id)) return;
  shown.add(message.id);
  const meta = message.metadata || {};
  const who = message.speakerKind === 'personality' ? (names.get(message.speaker) || message.speaker)
    : message.speakerKind === 'system' ? 'Room' : message.speaker;
  const stage = meta.stage ? [meta.protocol, meta.stage, meta.round ? `round ${meta.round}` : ''].filter(Boolean).join(' · ') : '';
  const borrowed = (meta.borrowed || []).map((b) => `${b.trait} from ${names.get(b.from) || b.from}`).join(', ');
  const log = $('#room-log');
  log.append(h('li', {class: `room-msg ${message.speakerKind}`, dataset: {speaker: message.speaker, stage: meta.stage || ''}},
    h('div', {class: 'room-head'}, h('strong', {class: 'speaker'}, who),
      stage ? h('span', {class: 'badge'}, stage) : null,
      borrowed ? h('span', {class: 'muted small'}, ` borrowed: ${borrowed}`) : null,
      h('span', {class: 'muted small'}, ` #${message.seq} · ${when(message.createdAt)}`)),
    h('div', {class: 'text'}, message.content)));
  log.scrollTop = log.scrollHeight;
}

$('#room-create').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const personalities = [...document.querySelectorAll('#room-personalities input:checked')].map((i) => i.value);
  try {
    const room = await session.api.post('/v1/rooms', {title: $('#room-new-title').value.trim(), policy: $('#room-policy').value,
      personalities});
    $('#room-new-title').value = '';
    announce(`Room "${room.title}" created.`);
    await show(room.id);
  } catch (error) {
    showError(error);
  }
});

$('#room-say').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  const input = $('#room-input');
  const message = input.value.trim();
  if (!message || !current) return;
  input.value = '';
  try {
    const posted = await session.api.post(`/v1/rooms/${encodeURIComponent(current)}/messages`, {message});
    [posted.message, ...posted.replies].forEach(append);
    announce(`${posted.replies.length} replies (${posted.stopped}).`);
  } catch (error) {
    showError(error);
  }
});

$('#room-protocol').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  if (!current) return;
  const protocol = $('#room-protocol-kind').value;
  try {
    announce(`Running the ${protocol}…`);
    const run = await session.api.post(`/v1/rooms/${encodeURIComponent(current)}/protocols`,
      {protocol, question: $('#room-question').value.trim(), rounds: Number($('#room-rounds').value) || undefined});
    run.transcript.forEach(append);
    announce(`The ${protocol} ended${run.complete ? '' : ' early (token budget)'}: synthesis #${run.synthesis.seq}.`);
  } catch (error) {
    showError(error);
  }
});
