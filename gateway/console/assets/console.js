// The operator console: everything on the page comes from the graph (POST /graphql, graphql-ws on the same URL)
// with the operator's token. The page decides nothing about access: the gateway refuses what the token may not see.
import { callsChart, gauge, groupedBars } from './charts.js';

const ENDPOINT = '/graphql';
const REFRESH_MS = 5000;
const FEED_ROWS = 25;
const TOKEN_KEY = 'dropship-console-token';

const OVERVIEW = `query ConsoleOverview {
  viewer { subject tenant scopes }
  suppliers {
    name displayName health breakerState quotaRemaining quotas { bucket remaining }
    lastError lastErrorAt lastErrorSupplierCode p95LatencyMs errorRate
    recentCalls { at calls errors p95LatencyMs }
    groups { group health breakerState lastError }
  }
  ordersNeedingAttention(first: 50) {
    tenant reason actions since
    order { id status idempotencyKey subOrders { id supplier state status lastError } }
  }
  reconciliationRuns(first: 10) { id startedAt finishedAt status checked discrepancies corrected suppliers { supplier checked discrepancies corrected error } }
  stockDiscrepancies(first: 50) { totalCount nodes { supplier supplierSku ours theirs difference resolution corrected } }
  orderWebhookDeliveries(first: 50) { id endpointId tenant eventType eventKey state createdAt nextAttemptAt attempts { at status error } }
}`;

const STOCK_FEED = `subscription ConsoleStockFeed { stockChanged { sku supplier oldAvailable newAvailable version source at product { title } } }`;

const ACTIONS = {
  RETRY: { label: 'Retry', mutation: 'mutation ConsoleRetry($tenant: String!, $id: ID!) { retryOrder(tenant: $tenant, id: $id) { id status } }' },
  REROUTE: { label: 'Re-route', mutation: 'mutation ConsoleReroute($tenant: String!, $id: ID!) { rerouteOrder(tenant: $tenant, id: $id) { id status } }' },
  CANCEL: { label: 'Cancel', mutation: 'mutation ConsoleCancel($tenant: String!, $id: ID!) { cancelOrder(tenant: $tenant, id: $id) { id status } }' },
};

const $ = (selector) => document.querySelector(selector);

/** Builds an element; children are nodes or strings (always text, never markup). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

const svg = () => document.createElementNS('http://www.w3.org/2000/svg', 'svg');
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '–');
const dateTime = (iso) => (iso ? new Date(iso).toLocaleString() : '–');
const percent = (share) => (share === null || share === undefined ? '–' : `${(share * 100).toFixed(1)} %`);
const ms = (value) => (value === null || value === undefined ? '–' : `${Math.round(value)} ms`);
const badge = (word) => h('span', { class: `badge ${String(word).toLowerCase()}` }, word);

let token = sessionStorage.getItem(TOKEN_KEY);
let timer = null;
let ws = null;
const feed = [];
const feedCounts = new Map();

function setStatus(text, kind = 'info') {
  const status = $('#status');
  status.textContent = text;
  status.className = kind;
}

/** One GraphQL request with the operator's token; throws with the gateway's code when refused. */
async function graphql(query, variables = {}) {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    // No token: no header, so the gateway decides (AUTH_MODE=dev on loopback: the built-in admin; otherwise refused).
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }));
  if (body.errors?.length && !body.data) {
    const e = body.errors[0];
    const error = new Error(e.message);
    error.code = e.extensions?.code ?? `HTTP ${response.status}`;
    error.missing = e.extensions?.missingScopes;
    throw error;
  }
  return body;
}

function renderSuppliers(suppliers) {
  const cards = suppliers.map((s) => {
    const chart = svg();
    chart.classList.add('chart');
    callsChart(chart, s.recentCalls);
    const quota = svg();
    quota.classList.add('gauge');
    const lowest = s.quotas.reduce((low, q) => (low === null || q.remaining < low.remaining ? q : low), null);
    gauge(quota, s.quotaRemaining, Math.max(s.quotaRemaining ?? 0, ...s.quotas.map((q) => q.remaining), 1));
    return h(
      'article',
      { class: `card ${s.health.toLowerCase()}`, 'data-supplier': s.name },
      h('h3', {}, s.displayName, ' ', badge(s.health)),
      h(
        'dl',
        {},
        h('dt', {}, 'Breaker'), h('dd', { class: 'breaker' }, badge(s.breakerState), ' ', s.groups.map((g) => h('span', { class: 'group', title: g.lastError ?? '' }, `${g.group.toLowerCase()}: ${g.breakerState.toLowerCase()}`))),
        h('dt', {}, 'Quota left'), h('dd', { class: 'quota' }, quota, ` ${s.quotaRemaining ?? '–'}`, lowest ? ` (${lowest.bucket})` : ''),
        h('dt', {}, 'p95 latency'), h('dd', { class: 'p95' }, ms(s.p95LatencyMs)),
        h('dt', {}, 'Error rate'), h('dd', { class: 'error-rate' }, percent(s.errorRate)),
        h('dt', {}, 'Last error'),
        h('dd', { class: 'last-error' }, s.lastError ? [h('code', {}, s.lastError), s.lastErrorSupplierCode ? [' · supplier said ', h('code', { class: 'supplier-code' }, s.lastErrorSupplierCode)] : '', ` at ${time(s.lastErrorAt)}`] : 'none'),
      ),
      chart,
    );
  });
  $('#suppliers .cards').replaceChildren(...cards);
}

function renderAttention(items) {
  $('#attention-note').textContent = items.length === 0 ? 'Nothing needs a person right now.' : `${items.length} order(s) need a person.`;
  const rows = items.map((item) =>
    h(
      'tr',
      { 'data-order': item.order.id },
      h('td', {}, dateTime(item.since)),
      h('td', {}, item.tenant),
      h('td', {}, h('code', {}, item.order.id)),
      h('td', { class: 'order-status' }, badge(item.order.status)),
      h('td', { class: 'reason' }, item.reason),
      h('td', {}, item.order.subOrders.map((s) => h('div', { class: 'sub' }, `${s.supplier} `, badge(s.state)))),
      h('td', { class: 'actions' }, item.actions.map((action) => h('button', { type: 'button', 'data-action': action, onclick: (event) => act(event.currentTarget, action, item) }, ACTIONS[action].label))),
    ),
  );
  $('#attention tbody').replaceChildren(...rows);
}

async function act(button, action, item) {
  const row = button.closest('tr');
  row.querySelectorAll('button').forEach((b) => (b.disabled = true));
  setStatus(`${ACTIONS[action].label} order ${item.order.id}…`);
  try {
    const body = await graphql(ACTIONS[action].mutation, { tenant: item.tenant, id: item.order.id });
    const error = body.errors?.[0];
    const result = Object.values(body.data ?? {})[0];
    if (error || !result) setStatus(`${ACTIONS[action].label} ${item.order.id} refused: ${error?.extensions?.code ?? ''} ${error?.message ?? ''}`, 'error');
    else setStatus(`${ACTIONS[action].label} ${item.order.id}: now ${result.status}`, 'ok');
  } catch (error) {
    setStatus(`${ACTIONS[action].label} ${item.order.id} failed: ${error.code ?? ''} ${error.message}`, 'error');
  }
  await refresh();
}

function renderReconciliation(runs, discrepancies) {
  const chart = $('#recon-chart');
  groupedBars(
    chart,
    [...runs].reverse().map((r) => ({ label: time(r.startedAt), checked: r.checked, discrepancies: r.discrepancies, corrected: r.corrected })),
    [
      { key: 'checked', label: 'checked', className: 'ok' },
      { key: 'discrepancies', label: 'discrepancies', className: 'warn' },
      { key: 'corrected', label: 'corrected', className: 'fixed' },
    ],
  );
  $('#reconciliation .runs tbody').replaceChildren(
    ...runs.map((r) =>
      h(
        'tr',
        {},
        h('td', {}, dateTime(r.startedAt)),
        h('td', {}, badge(r.status)),
        h('td', {}, r.checked),
        h('td', {}, r.discrepancies),
        h('td', {}, r.corrected),
        h('td', {}, r.suppliers.map((s) => h('div', {}, `${s.supplier}: ${s.discrepancies} found, ${s.corrected} corrected${s.error ? ` — ${s.error}` : ''}`))),
      ),
    ),
  );
  $('#reconciliation .discrepancies tbody').replaceChildren(
    ...discrepancies.nodes.map((d) =>
      h('tr', {}, h('td', {}, d.supplier), h('td', {}, h('code', {}, d.supplierSku)), h('td', {}, d.ours ?? '–'), h('td', {}, d.theirs ?? '–'), h('td', { class: d.difference < 0 ? 'down' : 'up' }, d.difference > 0 ? `+${d.difference}` : d.difference), h('td', {}, badge(d.resolution))),
    ),
  );
}

function renderWebhooks(deliveries) {
  const byState = ['DELIVERED', 'PENDING', 'FAILED'].map((state) => ({ label: state.toLowerCase(), count: deliveries.filter((d) => d.state === state).length, state }));
  groupedBars($('#webhook-chart'), byState, [{ key: 'count', label: 'deliveries', className: 'ok' }], { width: 260, height: 90 });
  $('#webhook-chart').querySelectorAll('rect[class="ok"]').forEach((rect, i) => byState[i] && rect.setAttribute('class', byState[i].state === 'FAILED' ? 'bad' : byState[i].state === 'PENDING' ? 'warn' : 'ok'));
  $('#webhooks tbody').replaceChildren(
    ...deliveries.map((d) =>
      h(
        'tr',
        {},
        h('td', {}, dateTime(d.createdAt)),
        h('td', {}, d.tenant),
        h('td', {}, d.eventType, ' ', h('code', {}, d.eventKey)),
        h('td', {}, d.endpointId),
        h('td', {}, badge(d.state), d.nextAttemptAt ? ` next ${time(d.nextAttemptAt)}` : ''),
        h('td', { class: 'attempts' }, d.attempts.map((a) => h('span', { class: `dot ${a.status !== null && a.status < 300 ? 'ok' : 'bad'}`, title: `${time(a.at)}: ${a.status ?? a.error ?? 'no answer'}` }, a.status ?? '×'))),
      ),
    ),
  );
}

function renderFeed() {
  $('#stock tbody').replaceChildren(
    ...feed.map((c) => {
      const delta = c.newAvailable - (c.oldAvailable ?? 0);
      return h(
        'tr',
        { 'data-sku': c.sku, 'data-supplier': c.supplier },
        h('td', {}, time(c.at)),
        h('td', {}, c.supplier),
        h('td', {}, h('code', {}, c.sku)),
        h('td', {}, c.product?.title ?? ''),
        h('td', { class: 'available' }, `${c.oldAvailable ?? '–'} → ${c.newAvailable}`),
        h('td', { class: delta < 0 ? 'down' : 'up' }, delta > 0 ? `+${delta}` : String(delta)),
        h('td', {}, c.source),
      );
    }),
  );
  groupedBars(
    $('#stock-chart'),
    [...feedCounts].map(([supplier, n]) => ({ label: supplier, ...n })),
    [
      { key: 'up', label: 'rises', className: 'ok' },
      { key: 'down', label: 'falls', className: 'bad' },
    ],
    { width: 360, height: 100 },
  );
}

function connectFeed() {
  ws?.dispose();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ENDPOINT}`;
  const liveState = $('#live-state');
  ws = graphqlWs.createClient({
    url,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 5,
    on: {
      connected: () => (liveState.textContent = 'live'),
      closed: (event) => (liveState.textContent = `disconnected (${event?.code ?? ''})`),
    },
  });
  ws.subscribe(
    { query: STOCK_FEED },
    {
      next: ({ data, errors }) => {
        if (errors?.length) liveState.textContent = `refused: ${errors[0].extensions?.code ?? errors[0].message}`;
        const change = data?.stockChanged;
        if (!change) return;
        feed.unshift(change);
        feed.length = Math.min(feed.length, FEED_ROWS);
        const counts = feedCounts.get(change.supplier) ?? { up: 0, down: 0 };
        if (change.newAvailable >= (change.oldAvailable ?? 0)) counts.up += 1;
        else counts.down += 1;
        feedCounts.set(change.supplier, counts);
        renderFeed();
      },
      error: (error) => (liveState.textContent = `error: ${Array.isArray(error) ? error[0]?.message : (error?.reason ?? error?.message ?? 'closed')}`),
      complete: () => (liveState.textContent = 'ended'),
    },
  );
}

async function refresh() {
  try {
    const { data, errors } = await graphql(OVERVIEW);
    renderSuppliers(data.suppliers ?? []);
    renderAttention(data.ordersNeedingAttention ?? []);
    renderReconciliation(data.reconciliationRuns ?? [], data.stockDiscrepancies ?? { nodes: [] });
    renderWebhooks(data.orderWebhookDeliveries ?? []);
    $('#app').dataset.refreshedAt = new Date().toISOString();
    if (errors?.length) setStatus(`Partly answered: ${errors.map((e) => e.extensions?.code ?? e.message).join(', ')}`, 'warn');
    return data.viewer;
  } catch (error) {
    stop();
    setStatus(`Refused by the graph: ${error.code}${error.missing ? ` (missing scope: ${error.missing.join(', ')})` : ''} — ${error.message}`, 'error');
    return null;
  }
}

function stop() {
  clearInterval(timer);
  timer = null;
  ws?.dispose();
  ws = null;
  $('#app').hidden = true;
  $('#logout').hidden = true;
}

async function start() {
  setStatus('Checking the token with the graph…');
  const viewer = await refresh();
  if (!viewer) return;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  setStatus(`Signed in as ${viewer.subject} (tenant ${viewer.tenant}, scopes ${viewer.scopes.join(' ')})`, 'ok');
  connectFeed();
  timer = setInterval(refresh, REFRESH_MS);
}

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('#token').value.trim();
  $('#token').value = '';
  sessionStorage.setItem(TOKEN_KEY, token);
  stop();
  void start();
});

$('#logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  stop();
  setStatus('Signed out.');
});

if (token) void start();
