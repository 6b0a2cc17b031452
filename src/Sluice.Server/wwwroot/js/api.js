// The one place that talks to /api/v1: adds the CSRF header, the workspace, and turns failures into ApiError.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `request failed (${status})`);
    this.status = status;
    this.problem = problem ?? {};
    this.errors = problem?.errors ?? (status === 400 ? fieldsOf(problem?.detail) : {});
  }
}

// Until every 400 carries `errors`, recover them from a detail written as "field: message; other: message".
function fieldsOf(detail) {
  const errors = {};
  const starts = [...(detail ?? '').matchAll(/(?:^|; )([A-Za-z_][\w.\[\]]*): /g)];
  starts.forEach((m, i) => {
    const from = m.index + m[0].length;
    const to = i + 1 < starts.length ? starts[i + 1].index : detail.length;
    (errors[m[1]] ??= []).push(detail.slice(from, to).replace(new RegExp('^' + m[1] + ': '), ''));
  });
  return errors;
}

let workspace = localStorage.getItem('sluice.workspace') || 'default';
export const getWorkspace = () => workspace;
export function setWorkspace(name) { workspace = name; localStorage.setItem('sluice.workspace', name); }

// Fired on 401 so the shell can show the sign-in page wherever the user was.
export const onUnauthorized = new EventTarget();

function csrf() {
  return document.cookie.split('; ').find(c => c.startsWith('sluice_csrf='))?.slice('sluice_csrf='.length);
}

export function url(path, query = {}) {
  const u = new URL('/api/v1' + path, location.origin);
  if (workspace !== 'default') u.searchParams.set('workspace', workspace);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) u.searchParams.set(k, v);
  return u;
}

export async function request(method, path, body, query, contentType = 'application/json') {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = contentType;
  if (method !== 'GET' && csrf()) headers['X-CSRF-Token'] = csrf();
  let response;
  try {
    response = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { title: 'Sluice is unreachable', detail: 'the server did not answer; is it running?' });
  }
  if (response.status === 401 && path !== '/auth/login') onUnauthorized.dispatchEvent(new Event('unauthorized'));
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { detail: text.slice(0, 300) }; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/**
 * Rows per page of every list. The API pages every list (keyset pages with nextCursor); the UI shows one page and a
 * "Load more" button. A smaller size can be set per browser (localStorage sluice.pageSize), which the tests use.
 */
export const pageSize = () => Math.min(1000, Math.max(1, Number(localStorage.getItem('sluice.pageSize')) || 50));

/** The items of a list response, whether the API sends a bare array or a page ({ items, next... }). */
export const itemsOf = list => Array.isArray(list) ? list : (list?.items ?? []);

export const api = {
  get: (path, query) => request('GET', path, undefined, query),
  post: (path, body, query) => request('POST', path, body ?? {}, query),
  put: (path, body) => request('PUT', path, body),
  del: path => request('DELETE', path),
  /** Sends text as is (the DAG YAML). */
  postText: (path, text, contentType) => request('POST', path, text, undefined, contentType),
};

/** Streams a text endpoint (the job log with ?follow=true) chunk by chunk until it ends or `signal` aborts. */
export async function stream(path, query, onChunk, signal) {
  const response = await fetch(url(path, query), { signal, credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onChunk(value);
  }
}
