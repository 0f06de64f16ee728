// Wakeline web console. Plain ES module, no build step; uPlot (a WebJar served by the node) draws the chart.
// The admin token is sent once, in the body of POST api/session; the session lives in an HttpOnly cookie
// that this script cannot read, so nothing here ever holds the token after the login form is submitted.

const API = 'api/';
const POLL_MILLIS = 2000;
const $ = (id) => document.getElementById(id);

let pollTimer = null;
let chart = null;

async function api(path, options = {}) {
  const response = await fetch(API + path, {
    credentials: 'same-origin',
    cache: 'no-store',
    ...options,
    headers: { 'Accept': 'application/json', ...(options.headers || {}) },
  });
  if (response.status === 401) {
    showLogin();
    throw new Error('unauthorized');
  }
  const body = response.status === 204 ? null : await response.json();
  return { status: response.status, body };
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    if (cell instanceof Node) {
      const td = document.createElement('td');
      td.append(cell);
      tr.append(td);
    } else {
      tr.append(el('td', cell, typeof cell === 'number' ? 'num' : undefined));
    }
  }
  return tr;
}

function rate(value) {
  return value === undefined || value === null ? '' : Number(value).toFixed(value >= 100 ? 0 : 1);
}

function time(millis) {
  return millis > 0 ? new Date(millis).toISOString().replace('T', ' ').replace('Z', ' UTC') : '';
}

function age(millis) {
  if (!(millis > 0) || millis === 9223372036854775807) return '';
  const seconds = Math.max(0, Math.round((Date.now() - millis) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

// ---- login -------------------------------------------------------------------------------------

function showLogin(message) {
  stopPolling();
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('token').focus();
}

function showApp() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  startPolling();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('token');
  const response = await fetch(API + 'session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: token.value }),
  });
  token.value = '';
  if (response.status === 204) {
    showApp();
  } else {
    showLogin('Wrong admin token.');
  }
});

$('logout').addEventListener('click', async () => {
  await fetch(API + 'session', { method: 'DELETE', credentials: 'same-origin' });
  showLogin('Logged out.');
});

// ---- polling -----------------------------------------------------------------------------------

function startPolling() {
  stopPolling();
  refresh();
  pollTimer = setInterval(refresh, POLL_MILLIS);
}

function stopPolling() {
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
}

async function refresh() {
  try {
    const [overview, backlog, apps] = await Promise.all([api('overview'), api('backlog'), api('apps')]);
    renderOverview(overview.body);
    renderBacklog(backlog.body);
    renderApps(apps.body);
  } catch (e) {
    if (e.message !== 'unauthorized') console.warn('refresh failed', e);
  }
}

function shortAddress(address) {
  return address.replace(/^akka:\/\/[^@]+@/, '');
}

function renderOverview(overview) {
  $('self').textContent = 'this node: ' + shortAddress(overview.self);
  const tbody = $('members').tBodies[0];
  const rows = [];
  let up = 0;
  for (const member of overview.members) {
    if (member.status === 'Up') up++;
    const name = el('span', shortAddress(member.address));
    if (member.self) name.append(el('span', 'this node', 'tag'));
    if (member.leader) name.append(el('span', 'leader', 'tag'));
    const node = member.node;
    const device = node ? (node.sharding.find((s) => s.entityType === 'Device') || { shards: 0, entities: 0 }) : null;
    const last = node && node.rates.length ? node.rates[node.rates.length - 1] : null;
    const tr = row([
      name,
      el('span', member.status, member.status === 'Up' ? 'ok' : 'bad'),
      member.roles.join(', '),
      el('span', member.reachable ? 'yes' : 'NO', member.reachable ? 'ok' : 'bad'),
      node ? node.linksAttached : 'no answer',
      node ? device.shards : '',
      node ? device.entities : '',
      last ? rate(last.pushes) : '',
      last ? rate(last.controlAccepted) : '',
      last ? rate(last.controlAcked) : '',
      last ? rate(last.attaches) : '',
      node ? node.trackedMessages : '',
    ]);
    tr.dataset.address = member.address;
    tr.dataset.status = member.status;
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
  $('members-summary').textContent = `${overview.members.length} members, ${up} up`;
  renderRates(overview.rates);
}

function renderRates(rates) {
  const xs = rates.map((r) => r.atMillis / 1000);
  const data = [xs, rates.map((r) => r.pushes), rates.map((r) => r.controlAccepted),
    rates.map((r) => r.controlAcked), rates.map((r) => r.attaches)];
  const last = rates[rates.length - 1];
  $('rates-now').textContent = last
    ? `now: ${rate(last.pushes)} pushes/s, ${rate(last.controlAccepted)} control accepted/s, `
      + `${rate(last.controlAcked)} control acked/s, ${rate(last.attaches)} attaches/s`
    : 'collecting samples...';
  if (!window.uPlot) return;
  if (!chart) {
    const width = Math.max(320, $('rates-chart').clientWidth || 800);
    chart = new window.uPlot({
      width, height: 220,
      scales: { x: { time: true } },
      axes: [{}, { label: 'per second', size: 60 }],
      series: [{},
        { label: 'pushes', stroke: '#2458d6', width: 2 },
        { label: 'control accepted', stroke: '#b54708', width: 2 },
        { label: 'control acked', stroke: '#17803d', width: 2 },
        { label: 'attaches', stroke: '#7a2ecc', width: 2 }],
    }, data, $('rates-chart'));
  } else {
    chart.setData(data);
  }
}

function renderBacklog(backlog) {
  const rows = backlog.devices.map((device) => {
    const link = el('button', device.deviceId, 'link');
    link.type = 'button';
    link.addEventListener('click', () => { $('device-id').value = device.deviceId; lookUpDevice(); });
    return row([link, device.messages, age(device.oldestAcceptedAtMillis), shortAddress(device.node)]);
  });
  if (rows.length === 0) rows.push(row([el('span', 'No device has control messages waiting.', 'muted')]));
  $('backlog').tBodies[0].replaceChildren(...rows);
}

function renderApps(apps) {
  const rows = apps.apps.map((app) => row([app.appId, app.accepted, app.delivered, app.acked, app.expired, app.rejected]));
  $('apps').tBodies[0].replaceChildren(...rows);
}

// ---- lookups -----------------------------------------------------------------------------------

function definitions(pairs) {
  const dl = document.createElement('dl');
  for (const [term, value] of pairs) {
    dl.append(el('dt', term), el('dd', value));
  }
  return dl;
}

function problem(target, status, body) {
  target.replaceChildren(el('p', (body && body.error_description) || `Error ${status}`, 'error'));
}

async function lookUpDevice() {
  const id = $('device-id').value.trim();
  const target = $('device-result');
  if (!id) return;
  const { status, body } = await api('devices/' + encodeURIComponent(id));
  if (status !== 200) return problem(target, status, body);
  const channels = Object.values(body.channelsByApp || {}).reduce((n, byChannel) => n + Object.keys(byChannel).length, 0);
  const pre = el('pre', JSON.stringify(body, null, 2));
  target.replaceChildren(definitions([
    ['Device', body.deviceId],
    ['Attached', body.attached ? 'yes' : 'no'],
    ['Apps with push channels', Object.keys(body.channelsByApp || {}).length],
    ['Push channels', channels],
  ]), pre);
  target.dataset.deviceId = body.deviceId;
}

$('device-form').addEventListener('submit', (event) => { event.preventDefault(); lookUpDevice(); });

$('message-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = $('message-id').value.trim();
  const target = $('message-result');
  const params = new URLSearchParams();
  for (const [name, input] of [['device', 'message-device'], ['app', 'message-app'], ['channel', 'message-channel']]) {
    const value = $(input).value.trim();
    if (value) params.set(name, value);
  }
  const query = params.toString() ? '?' + params.toString() : '';
  const { status, body } = await api('messages/' + encodeURIComponent(id) + query);
  if (status !== 200) return problem(target, status, body);
  const fate = body.fate;
  const timeline = document.createElement('table');
  timeline.id = 'message-timeline';
  timeline.append(row([el('strong', 'Step'), el('strong', 'At')]));
  for (const [step, at] of [['accepted', fate.acceptedAtMillis], ['delivered', fate.deliveredAtMillis],
    ['acked', fate.ackedAtMillis], ['expires', fate.expiresAtMillis], ['expired / rejected', fate.expiredAtMillis]]) {
    if (at > 0) timeline.append(row([step, time(at)]));
  }
  target.replaceChildren(definitions([
    ['State', fate.state],
    ['Message', fate.messageId],
    ['Client message id', fate.clientMessageId || ''],
    ['Sequence', fate.seq],
    ['Device', body.deviceId],
    ['App', body.appId],
    ['Channel', body.channelId],
  ]), timeline);
  target.dataset.state = fate.state;
});

// ---- start -------------------------------------------------------------------------------------

(async () => {
  const response = await fetch(API + 'session', { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 204) showApp(); else showLogin();
})();
