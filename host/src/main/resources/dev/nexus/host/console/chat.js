// Chat (streamed replies, regenerate with alternatives, ratings and critiques) and the history of
// the signed-in user's conversations.
import {$, h, fill, announce, showError, describe, when, rows} from './dom.js';
import {session, go} from './console.js';

const state = {personalities: null, personality: '', conversation: '', vocabulary: null, busy: false};

export function reset() {
  Object.assign(state, {personalities: null, personality: '', conversation: '', vocabulary: null, busy: false});
  fill($('#chat-log'));
}

/** Shows the chat; {conversation} opens that conversation (the server says 404 when it is not the user's). */
export async function showChat(options = {}) {
  await loadPersonalities();
  if (options.conversation) await openConversation(options.conversation);
  $('#chat-input').focus();
}

async function loadPersonalities() {
  if (state.personalities) return;
  const body = await session.api.get('/v1/personalities');
  state.personalities = body.personalities;
  const select = $('#chat-personality');
  fill(select, body.personalities.map((p) => h('option', {value: p.id}, `${p.name} (${p.id})`)));
  if (!state.personality && body.personalities.length) state.personality = body.personalities[0].id;
  select.value = state.personality;
  await showPersona();
}

async function showPersona() {
  const summary = state.personalities.find((p) => p.id === state.personality);
  fill($('#persona-summary'), summary ? summary.summary : '');
  fill($('#persona-traits'));
  if (!state.personality) return;
  const full = await session.api.get(`/v1/personalities/${encodeURIComponent(state.personality)}`);
  fill($('#persona-traits'), traitBars(full.traits || (full.personality && full.personality.traits) || {}));
}

/** Traits as labelled meters in [0, 1]. */
export function traitBars(traits) {
  return Object.entries(traits).map(([name, trait]) => {
    const value = typeof trait === 'number' ? trait : Number(trait.value);
    const id = `trait-${name}-${Math.random().toString(36).slice(2, 8)}`;
    return h('div', {class: 'trait'},
      h('label', {for: id}, name),
      h('meter', {id, min: 0, max: 1, value, title: value.toFixed(2)}, value.toFixed(2)),
      h('span', {class: 'trait-value', 'aria-hidden': 'true'}, value.toFixed(2)));
  });
}

function newConversation() {
  state.conversation = '';
  fill($('#chat-conversation-id'), 'new');
  fill($('#chat-log'));
  announce('New conversation.');
  $('#chat-input').focus();
}

async function openConversation(id) {
  const body = await session.api.get(`/v1/conversations/${encodeURIComponent(id)}/messages`, {limit: 500});
  state.personality = body.personality;
  $('#chat-personality').value = body.personality;
  await showPersona();
  state.conversation = body.conversation;
  fill($('#chat-conversation-id'), body.conversation);
  fill($('#chat-log'), body.messages.map((m) => m.role === 'user'
    ? userBubble(m.content, m.state)
    : replyBubble([m, ...(m.alternatives || [])])));
  announce(`Opened a conversation with ${body.personality} (${body.messages.length} messages).`);
}

function userBubble(text, messageState) {
  return h('li', {class: 'msg user'},
    h('span', {class: 'who'}, 'You'),
    h('p', {class: 'text'}, text),
    messageState === 'failed' ? h('span', {class: 'muted small'}, 'not answered: the model failed') : null);
}

/** A reply with its alternatives (swipes): the shown one is what ratings attach to. */
function replyBubble(alternatives) {
  const li = h('li', {class: 'msg assistant'});
  const view = {alternatives, index: alternatives.length - 1};
  li.view = view;
  renderReply(li);
  return li;
}

function renderReply(li) {
  const {alternatives, index} = li.view;
  const shown = alternatives[index];
  const name = (state.personalities.find((p) => p.id === state.personality) || {}).name || state.personality;
  const nav = alternatives.length > 1 ? h('span', {class: 'swipes'},
    h('button', {type: 'button', class: 'icon', 'aria-label': 'Previous alternative', disabled: index === 0,
      onclick: () => { li.view.index--; renderReply(li); }}, '‹'),
    h('span', {}, `${index + 1} / ${alternatives.length}`),
    h('button', {type: 'button', class: 'icon', 'aria-label': 'Next alternative', disabled: index === alternatives.length - 1,
      onclick: () => { li.view.index++; renderReply(li); }}, '›')) : null;
  fill(li,
    h('span', {class: 'who'}, name, nav),
    h('p', {class: 'text'}, shown.content),
    shown.id && !(shown.metadata && shown.metadata.greeting) ? h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'secondary', onclick: () => regenerate(li)}, 'Regenerate'),
      h('button', {type: 'button', class: 'secondary', 'aria-label': 'Rate this reply good', onclick: () => rate(li, {rating: 'up'})}, 'Good'),
      h('button', {type: 'button', class: 'secondary', 'aria-label': 'Rate this reply bad', onclick: () => rate(li, {rating: 'down'})}, 'Bad'),
      critiqueForm(li),
      h('span', {class: 'muted small feedback-state', role: 'status'}, shown.rated ? `Rated: ${shown.rated}` : '')) : null);
}

function critiqueForm(li) {
  const details = h('details', {class: 'critique'}, h('summary', {}, 'Critique…'));
  details.addEventListener('toggle', async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = '1';
    try {
      if (!state.vocabulary) state.vocabulary = (await session.api.get('/v1/feedback/vocabulary')).critiques;
    } catch (error) { showError(error); return; }
    const form = h('form', {class: 'critique-form'},
      h('fieldset', {}, h('legend', {}, 'What should change?'),
        state.vocabulary.map((c) => h('label', {}, h('input', {type: 'checkbox', name: 'critique', value: c.term}), ` ${c.term}`))),
      h('label', {}, 'Comment (optional)', h('textarea', {name: 'comment', rows: 2, maxlength: 4000})),
      h('label', {}, 'Stars (optional) ',
        h('select', {name: 'rating'}, h('option', {value: ''}, '—'), [1, 2, 3, 4, 5].map((n) => h('option', {value: n}, `${n}`)))),
      h('button', {type: 'submit'}, 'Send critique'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const feedback = {critiques: data.getAll('critique')};
      if (data.get('comment')) feedback.comment = data.get('comment');
      if (data.get('rating')) feedback.rating = Number(data.get('rating'));
      rate(li, feedback);
    });
    details.append(form);
  });
  return details;
}

async function rate(li, feedback) {
  showError(null);
  const shown = li.view.alternatives[li.view.index];
  try {
    await session.api.post('/v1/feedback', {message: shown.id, ...feedback});
    shown.rated = feedback.rating ? String(feedback.rating) : 'critique sent';
    renderReply(li);
    announce('Thank you: feedback stored.');
  } catch (error) {
    showError(error);
  }
}

async function regenerate(li) {
  if (state.busy) return;
  showError(null);
  state.busy = true;
  li.setAttribute('aria-busy', 'true');
  announce('Writing another reply…');
  try {
    const turn = await session.api.post(`/v1/messages/${encodeURIComponent(li.view.alternatives[0].id)}/regenerate`);
    li.view.alternatives.push({id: turn.message.id, content: turn.message.content});
    li.view.index = li.view.alternatives.length - 1;
    renderReply(li);
    announce(`Alternative ${li.view.alternatives.length} written.`);
  } catch (error) {
    showError(error);
  } finally {
    state.busy = false;
    li.removeAttribute('aria-busy');
  }
}

async function send(text) {
  showError(null);
  state.busy = true;
  $('#chat-send').disabled = true;
  const log = $('#chat-log');
  const mine = userBubble(text);
  log.append(mine);
  const reply = {content: ''};
  const li = replyBubble([reply]);
  li.setAttribute('aria-busy', 'true');
  const textEl = () => li.querySelector('.text');
  log.append(li);
  announce('Sending…');
  const body = {personality: state.personality, message: text};
  if (session.user) body.user = session.user;
  if (state.conversation) body.conversation = state.conversation;
  try {
    await session.api.events('POST', '/v1/chat/stream', body, (event, data) => {
      if (event === 'start') {
        state.conversation = data.conversation;
        fill($('#chat-conversation-id'), data.conversation);
        // A new conversation opens with the personality's greeting, stored before this message.
        if (data.greeting) mine.before(replyBubble([data.greeting]));
      } else if (event === 'token') {
        reply.content += data.text;
        textEl().textContent = reply.content;
        li.scrollIntoView({block: 'end'});
      } else if (event === 'tool') {
        textEl().after(h('p', {class: 'muted small'}, `tool ${data.name}: ${data.outcome}`));
      } else if (event === 'done') {
        reply.id = data.message.id;
        reply.content = data.message.content;
        renderReply(li);
        announce('Reply received.');
      } else if (event === 'error') {
        li.append(h('div', {class: 'problem', role: 'alert'}, describe(data)));
      }
    });
  } catch (error) {
    li.remove();
    showError(error);
  } finally {
    state.busy = false;
    li.removeAttribute('aria-busy');
    $('#chat-send').disabled = false;
  }
}

$('#chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('#chat-input');
  const text = input.value.trim();
  if (!text || state.busy) return;
  input.value = '';
  send(text);
});
$('#chat-input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('#chat-form').requestSubmit();
  }
});
$('#chat-personality').addEventListener('change', (event) => {
  state.personality = event.target.value;
  newConversation();
  showPersona().catch(showError);
});
$('#chat-new').addEventListener('click', newConversation);

/** The signed-in user's conversations, most recent first. */
export async function showHistory() {
  const body = await session.api.get('/v1/conversations', {limit: 100});
  rows($('#history-table tbody'), body.conversations, (c) => h('tr', {},
    h('td', {}, h('button', {type: 'button', class: 'link', onclick: () => go('chat', {conversation: c.id})}, c.title || '(no message)')),
    h('td', {}, c.personality), h('td', {}, String(c.messages)), h('td', {}, when(c.updatedAt))),
  'No conversations yet.', 4);
  announce(`${body.conversations.length} conversations.`);
}

$('#history-open').addEventListener('submit', (event) => {
  event.preventDefault();
  go('chat', {conversation: $('#history-id').value.trim()});
});

/** Forgets the cached personality list (after an import), so the chat reloads it. */
export function personalitiesChanged() {
  state.personalities = null;
}
