// The console's only way to the server: fetch with the key as a bearer token. Problem documents
// (RFC 9457) become ApiError with status, title and detail, so every view can show them as they are.

export class ApiError extends Error {
  constructor(status, title, detail, body) {
    super(`${status} ${title}: ${detail}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.body = body;
  }
}

export class Api {
  constructor(key) {
    this.key = key;
  }

  headers(extra = {}) {
    return {Authorization: `Bearer ${this.key}`, ...extra};
  }

  /** Sends a request; resolves to parsed JSON (or null for 204), rejects with ApiError. */
  async call(method, path, {json, body, type, query, signal} = {}) {
    const url = path + (query ? '?' + new URLSearchParams(clean(query)) : '');
    const init = {method, headers: this.headers(), signal, cache: 'no-store'};
    if (json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    } else if (body !== undefined) {
      init.headers['Content-Type'] = type || 'application/octet-stream';
      init.body = body;
    }
    const response = await fetch(url, init);
    if (!response.ok) throw await problem(response);
    if (response.status === 204) return null;
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  get(path, query) { return this.call('GET', path, {query}); }
  post(path, json) { return this.call('POST', path, {json}); }
  del(path) { return this.call('DELETE', path); }

  /** Fetches a file and returns {blob, name, warnings}. */
  async download(path, query) {
    const response = await fetch(path + '?' + new URLSearchParams(clean(query)), {headers: this.headers(), cache: 'no-store'});
    if (!response.ok) throw await problem(response);
    const disposition = response.headers.get('Content-Disposition') || '';
    const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || 'export';
    return {blob: await response.blob(), name, warnings: response.headers.get('Nexus-Export-Warnings') || ''};
  }

  /**
   * Reads Server-Sent Events from a GET or POST (EventSource cannot send an Authorization header).
   * Calls onEvent(name, data) per event; resolves when the stream ends; rejects with ApiError when the
   * server answers with a problem instead of a stream.
   */
  async events(method, path, json, onEvent, signal) {
    const init = {method, headers: this.headers({Accept: 'text/event-stream'}), signal, cache: 'no-store'};
    if (json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    }
    const response = await fetch(path, init);
    if (!response.ok) throw await problem(response);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block, onEvent);
      }
    }
  }
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return;
  const text = data.join('\n');
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* plain text data stays text */ }
  onEvent(name, parsed);
}

function clean(query = {}) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

async function problem(response) {
  const text = await response.text();
  let body = {};
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  const error = body.error; // OpenAI's shape on /v1/chat/completions
  return new ApiError(response.status,
    body.title || (error && error.type) || response.statusText || 'HTTP error',
    body.detail || (error && error.message) || text.slice(0, 300), body);
}
