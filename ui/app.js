// The orchestrate page: plain ES module, no framework and no build step (shipped as is in the
// package). It reads the HTTP API of `orchestrate ui` and redraws when the server-sent events
// say a run changed.
const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (selector, root = document) => root.querySelector(selector);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== false) node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return node;
};

async function api(path, options = {}) {
  const response = await fetch(path + (path.includes('?') ? '&' : '?') + `token=${encodeURIComponent(token)}`, {
    ...options,
    headers: { 'x-orchestrate-token': token, 'content-type': 'application/json', ...(options.headers ?? {}) },
  });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new Error(typeof body === 'string' ? body : body.error);
  return body;
}

const state = { runs: [], selected: decodeURIComponent(location.hash.replace(/^#run=/, '')) || undefined, view: undefined, opened: undefined };

const money = (usd) => `$${(usd ?? 0).toFixed(usd >= 1 ? 2 : 4)}`;
const tokens = (n) => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));
const seconds = (ms) => (ms >= 60000 ? `${Math.floor(ms / 60000)}m${Math.round((ms % 60000) / 1000)}s` : `${(ms / 1000).toFixed(1)}s`);
const age = (ms) => (ms < 60000 ? `${Math.floor(ms / 1000)}s` : ms < 3600000 ? `${Math.floor(ms / 60000)}m` : ms < 86400000 ? `${Math.floor(ms / 3600000)}h` : `${Math.floor(ms / 86400000)}d`);

async function loadRuns() {
  state.runs = await api('/api/runs');
  drawRuns();
}

function drawRuns() {
  const list = $('#runs');
  list.replaceChildren(
    ...state.runs.map((run) =>
      el(
        'li',
        { 'data-run': run.runId, 'data-status': run.status, class: run.runId === state.selected ? 'selected' : undefined, onclick: () => select(run.runId) },
        el('div', { class: 'id' }, run.runId),
        el('div', { class: 'meta' }, el('span', { class: `badge ${run.status}` }, run.status), ` ${run.service ?? run.workflow ?? ''} · ${run.ageMs !== undefined ? age(run.ageMs) : ''} · ${money(run.costUsd)} · ${run.files} files`),
      ),
    ),
  );
  if (!state.runs.length) list.append(el('li', { class: 'empty' }, 'No runs yet: start one with orchestrate integrate <service>.'));
}

async function select(runId) {
  state.selected = runId;
  state.opened = undefined;
  state.notice = undefined;
  location.hash = `run=${encodeURIComponent(runId)}`;
  drawRuns();
  await loadRun();
}

async function loadRun() {
  if (!state.selected) return;
  try {
    state.view = await api(`/api/runs/${encodeURIComponent(state.selected)}`);
    drawRun();
  } catch (error) {
    $('#run').replaceChildren(el('p', { class: 'error' }, error.message));
  }
}

function drawRun() {
  const view = state.view;
  const section = $('#run');
  const manifest = view.manifest;
  const actions = [];
  if (view.status === 'complete') {
    actions.push(el('button', { class: 'primary', 'data-testid': 'apply', onclick: () => act('apply') }, 'Apply'));
    actions.push(el('button', { class: 'danger', 'data-testid': 'discard', onclick: () => act('discard') }, 'Discard'));
  } else if (['interrupted', 'failed', 'rejected', 'awaiting-approval'].includes(view.status)) {
    actions.push(el('button', { class: 'danger', 'data-testid': 'discard', onclick: () => act('discard') }, 'Discard'));
  }
  section.replaceChildren(...[
    el('div', { class: 'title' }, el('h1', {}, view.runId), el('span', { class: `badge ${view.status}`, 'data-testid': 'status' }, view.status)),
    el('div', { class: 'meta' }, `${manifest.workflow} · started ${new Date(view.startedAt).toLocaleString()} · ${manifest.usage ? `${money(manifest.usage.costUsd)}, ${tokens(manifest.usage.inputTokens + manifest.usage.outputTokens)} tokens` : 'running'}`),
    manifest.applied ? el('div', { class: 'card', 'data-testid': 'applied' }, `Applied: commit ${manifest.applied.commit.slice(0, 12)} on ${manifest.applied.branch}`) : undefined,
    el('div', { class: 'actions' }, actions),
    el('div', { id: 'message', 'data-testid': 'message' }, state.notice ? el('div', { class: `card${state.notice.error ? ' error' : ''}` }, state.notice.text) : undefined),
    view.waiting ? approvalCard(view.waiting) : undefined,
    el('h2', {}, 'Timeline'),
    gantt(view),
    view.approvals.length ? el('h2', {}, 'Approvals') : undefined,
    view.approvals.length ? el('ul', { class: 'plain', 'data-testid': 'approvals' }, view.approvals.map((a) => el('li', {}, `${a.phase}: ${a.decision} by ${a.by} (${a.via}) at ${new Date(a.at).toLocaleString()}${a.message ? `: ${a.message}` : ''}${a.plan !== undefined ? ' (plan edited)' : ''}`))) : undefined,
    el('h2', {}, `Staged files (${manifest.files.length})`),
    el('ul', { class: 'plain files', 'data-testid': 'files' }, manifest.files.map((f) => el('li', { 'data-path': f.path, onclick: () => open('diff', f.path) }, `${f.path}  `, el('small', {}, `${f.task} (${f.agent})`)))),
    el('h2', {}, `Notes (${manifest.notes.length})`),
    el('ul', { class: 'plain notes', 'data-testid': 'notes' }, manifest.notes.map((n) => el('li', { 'data-path': n.path, onclick: () => open('note', n.path) }, n.path))),
    el('div', { id: 'opened', 'data-testid': 'opened' }),
    view.expertise ? el('h2', {}, 'Expertise changes') : undefined,
    view.expertise ? el('pre', { 'data-testid': 'expertise' }, expertiseText(view.expertise)) : undefined,
    view.report ? el('h2', {}, 'Report') : undefined,
    view.report ? el('pre', { 'data-testid': 'report' }, reportText(view.report)) : undefined,
  ].filter(Boolean));
  if (state.opened) void open(state.opened.kind, state.opened.path);
}

function approvalCard(waiting) {
  const note = el('textarea', { 'data-testid': 'approval-message', placeholder: 'A note for the next tasks, or why you reject' });
  return el(
    'div',
    { class: 'card approval', 'data-testid': 'approval' },
    el('strong', {}, `Waiting for approval: ${waiting.phase}`),
    el('p', {}, waiting.message),
    waiting.show ? el('div', {}, el('small', {}, waiting.show.path), el('pre', {}, waiting.show.text)) : undefined,
    waiting.askedElsewhere
      ? el('p', { class: 'error' }, 'A terminal is asking for this approval right now: answer it there.')
      : el('div', {}, note, el('div', { class: 'actions' },
          el('button', { class: 'primary', 'data-testid': 'approve', onclick: () => act('approve', { message: note.value }) }, 'Approve'),
          el('button', { class: 'danger', 'data-testid': 'reject', onclick: () => act('reject', { message: note.value }) }, 'Reject'))),
  );
}

/** The Gantt chart: one row per task, bars placed by start and end on the run's time axis. */
function gantt(view) {
  const now = Date.now() - Date.parse(view.startedAt);
  const rows = view.timeline;
  const span = Math.max(1, ...rows.map((t) => (t.end ?? (t.status === 'running' ? now : t.start ?? 0))));
  return el(
    'div',
    { class: 'gantt', 'data-testid': 'gantt' },
    rows.map((task) => {
      const start = task.start ?? 0;
      const end = task.end ?? (task.status === 'running' ? now : start);
      const bar = task.status === 'waiting' ? el('span', { class: 'meta' }, 'waits for the approval') : el('div', { class: `bar ${task.status}`, style: `left:${(start / span) * 100}%;width:${Math.max(0.4, ((end - start) / span) * 100)}%`, title: `${task.id}: ${task.status}, ${seconds(end - start)}` });
      return el(
        'div',
        { class: 'row', 'data-task': task.id, 'data-status': task.status },
        el('div', { class: 'label' }, `${task.id} `, el('small', {}, task.agent)),
        el('div', { class: 'lane' }, bar),
        el('div', { class: 'stats' }, `${seconds(end - start)} · ${tokens(task.tokens)} tok · ${money(task.costUsd)}${task.retries ? ` · ${task.retries} retr${task.retries > 1 ? 'ies' : 'y'}` : ''}`),
      );
    }),
  );
}

async function open(kind, path) {
  state.opened = { kind, path };
  const target = $('#opened');
  try {
    const text = await api(`/api/runs/${encodeURIComponent(state.selected)}/${kind}?path=${encodeURIComponent(path)}`);
    const pre = el('pre', { 'data-testid': kind === 'diff' ? 'diff' : 'note' });
    for (const line of text.split('\n')) {
      const cls = kind !== 'diff' ? undefined : line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : undefined;
      pre.append(el('span', { class: cls }, line), '\n');
    }
    target.replaceChildren(el('h2', {}, `${kind === 'diff' ? 'Diff' : 'Note'}: ${path}`), pre);
  } catch (error) {
    target.replaceChildren(el('p', { class: 'error' }, error.message));
  }
}

async function act(action, body = {}) {
  try {
    const result = await api(`/api/runs/${encodeURIComponent(state.selected)}/${action}`, { method: 'POST', body: JSON.stringify(body) });
    state.notice = { text: describe(action, result) };
  } catch (error) {
    state.notice = { text: error.message, error: true };
  }
  await Promise.all([loadRuns(), loadRun()]);
}

function describe(action, result) {
  if (action === 'apply') return result.outcome === 'already-applied' ? `Already applied on ${result.branch}.` : `Applied: commit ${String(result.commit).slice(0, 12)} on ${result.branch}.`;
  if (action === 'discard') return 'Discarded: the staged files are deleted.';
  return `${action === 'approve' ? 'Approved' : 'Rejected'}; the run goes on in the orchestrate ui process.`;
}

function expertiseText(record) {
  return record.domains.map((d) => `${d.file}\n${d.changes.map((c) => `  ${c.kind}${c.insight ? `: ${c.insight}` : c.name ? `: ${c.name}` : ''}`).join('\n')}`).join('\n');
}

function reportText(report) {
  const lines = [`status: ${report.status}`, `duration: ${seconds(report.durationMs)}`, `usage: ${tokens(report.usage.inputTokens + report.usage.outputTokens)} tokens, ${money(report.usage.costUsd)}`];
  if (report.error) lines.push(`error: ${report.error.message}`);
  for (const task of report.tasks) lines.push(`- ${task.id} (${task.agent}): ${task.status}${task.summary ? `: ${task.summary}` : ''}`);
  if (report.integration) {
    const i = report.integration;
    lines.push('', `Service: ${i.service}`, `Endpoint: ${i.configuration.endpoint}`, `Testing: ${i.testing.ran ? `${i.testing.passed} passed, ${i.testing.failed} failed` : 'not run'}`, `Security: ${i.security.summary}`);
  }
  return lines.join('\n');
}

// Live: the server says which run changed; the list and the open run are read again.
let pending;
const changed = new Set();
const events = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
events.addEventListener('hello', () => ($('#workspace-status').textContent = 'live'));
events.addEventListener('run', (event) => {
  changed.add(event.data);
  clearTimeout(pending);
  pending = setTimeout(() => {
    void loadRuns();
    if (changed.has(state.selected)) void loadRun();
    changed.clear();
  }, 50);
});
events.onerror = () => ($('#workspace-status').textContent = 'reconnecting…');
setInterval(() => {
  if (state.view?.timeline.some((t) => t.status === 'running')) $('#run .gantt')?.replaceWith(gantt(state.view));
}, 1000);

await loadRuns();
if (state.selected) await loadRun();
