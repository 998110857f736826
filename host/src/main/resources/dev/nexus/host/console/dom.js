// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so nothing a server,
// a plugin or a character card returns can run as code here.

/** Creates an element: h('button', {type: 'button', onclick: f}, 'Text', child, …). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Says something to screen readers and sighted users alike (the polite status line). */
export function announce(message) {
  $('#status').textContent = message;
}

/** Shows a failure in the alert region (role=alert) until the next action clears it. */
export function showError(error) {
  const box = $('#alert');
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  fill(box, describe(error));
}

/** Builds the view of a failure: status and title in bold, then the server's detail, which names the fix. */
export function describe(error) {
  if (error && error.status) {
    const hint = {
      401: 'The key is missing, unknown or revoked. Sign in again.',
      403: 'This key may not do that.',
      404: 'Not found — or it belongs to someone else.',
    }[error.status];
    return h('div', {class: 'problem-body'},
      h('strong', {}, `${error.status} ${error.title || ''}`), ' ',
      h('span', {}, error.detail || ''),
      hint ? h('span', {class: 'muted'}, ` (${hint})`) : null);
  }
  return h('div', {class: 'problem-body'}, h('strong', {}, 'Failed: '), String(error && error.message || error));
}

/** Formats an ISO instant in the reader's locale. */
export function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

/** Wraps a table row list: one message row when empty. */
export function rows(tbody, items, render, emptyText, columns) {
  fill(tbody, items.length ? items.map(render)
    : h('tr', {}, h('td', {colspan: columns, class: 'muted'}, emptyText)));
}
