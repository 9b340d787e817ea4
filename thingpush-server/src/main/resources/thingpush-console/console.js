// The ThingPush console: connect with a token, pick subscriptions from the registry the token
// may read, watch events, charts, device badges and firmware progress live. The connection is
// the ThingPush JavaScript client (thingpush.js): it reconnects and resumes with `since`.
import { ThingPushClient, CODES } from './thingpush.js';
import { LiveCharts } from './charts.js';
import { DeviceBoard } from './devices.js';
import { EventTable } from './events.js';

const PROPERTY_CODES = new Set(['devicePropertyReport', 'devicePropertyReportV2']);
/** The project picker's entry for the devices shared with the user (never a project id: ids have no spaces). */
const SHARED = 'shared with me';
const $ = (id) => document.getElementById(id);

let client = null;
let registry = { projects: [], areas: [], products: [], devices: [] };

const devices = new DeviceBoard($('devices'));
const charts = new LiveCharts($('charts'), (productID, identifier) => propertyInfo(productID, identifier));
const table = new EventTable({
  body: document.querySelector('#events tbody'), count: $('event-count'), filterText: $('filter-text'),
  filterCode: $('filter-code'), pause: $('pause'), clear: $('clear'), pausedCount: $('paused-count'),
});

// ---- start: defaults from the server, a token from the URL fragment (the demo link) or this tab

for (const code of CODES) {
  $('sub-code').append(new Option(code, code));
  $('filter-code').append(new Option(code, code));
}

async function start() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has('token')) {
    // The token never reaches a server through the URL: a fragment is not sent. Keep it in
    // this tab only and take it out of the address bar.
    for (const k of ['token', 'app-code', 'project-id']) if (fragment.has(k)) sessionStorage.setItem(k, fragment.get(k));
    history.replaceState(null, '', location.pathname);
  }
  for (const k of ['token', 'app-code', 'project-id']) {
    const v = sessionStorage.getItem(k);
    if (v) $(k).value = v;
  }
  try {
    const config = await (await fetch('/api/v1/console/config')).json();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    $('ws-url').value = `${scheme}://${location.hostname}:${config.wsPort}${config.wsPath}`;
  } catch (e) {
    notice('error', `cannot read the server's console config: ${e.message}`);
  }
  if (fragment.has('token')) connect();
}

// ---- connection

$('connect-form').addEventListener('submit', (e) => {
  e.preventDefault();
  connect();
});
$('disconnect').addEventListener('click', () => client?.close());

function connect() {
  client?.close();
  const token = $('token').value.trim();
  sessionStorage.setItem('token', token);
  sessionStorage.setItem('app-code', $('app-code').value.trim());
  sessionStorage.setItem('project-id', $('project-id').value.trim());
  client = new ThingPushClient({
    url: $('ws-url').value.trim(), token, appCode: $('app-code').value.trim(),
    projectId: $('project-id').value.trim() || undefined,
  });
  $('subscriptions').textContent = '';
  client.on('state', showState);
  client.on('open', ({ connectID, traceparent, resumed }) => {
    $('connect-id').textContent = connectID;
    $('traceparent').textContent = traceparent;
    notice('info', resumed ? `reconnected as connectID ${connectID}; subscriptions resumed` : `connected as connectID ${connectID}`);
  });
  client.on('close', ({ code, reason, refusal, reconnectInMs }) => {
    const why = refusal ? `${refusal.code} ${refusal.msg}` : reason ? `${code} ${reason}` : String(code);
    if (reconnectInMs == null) notice('error', `closed: ${why}`);
    else if (client.state === 'open') notice('warn', `connection lost (${why}); reconnecting in ${reconnectInMs} ms`);
    else notice('warn', `server not reachable yet (${why}); next try in ${reconnectInMs} ms`);
  });
  client.on('tokenExpired', ({ refusal }) => notice('error', `the token was refused or expired${refusal ? ': ' + refusal.msg : ''}. Paste a new one and connect.`));
  client.on('recoveryFailed', ({ code, params, since }) =>
    notice('warn', `history did not reach back to seq ${since} for ${label(code, params)}: events in between may be missing`));
  client.on('revoked', ({ code, params, msg }) => {
    notice('error', `subscription ended by the server: ${label(code, params)} (${msg})`);
    subscriptionRow(code, params)?.remove();
  });
  client.on('error', (e) => notice('error', e.message));
  client.on('push', onPush);
  client.connect().then(loadRegistry, () => { /* reported through 'close' */ });
}

function showState(state) {
  $('state').dataset.state = state;
  $('state').textContent = state;
  const live = state === 'open' || state === 'connecting' || state === 'reconnecting';
  $('disconnect').disabled = !live;
  $('subscribe').disabled = state !== 'open';
  $('subscribe-all').disabled = state !== 'open';
  if (!live) $('connect-id').textContent = '–';
}

function onPush(push) {
  $('last-seq').textContent = String(client.lastSeq);
  table.add(push);
  const b = push.body;
  const ms = Number(b.timestamp);
  switch (push.path) {
    case 'devicePropertyReport': chart(b.device, b.identifier, b.param, ms); break;
    case 'devicePropertyReportV2': for (const [k, v] of Object.entries(b.params ?? {})) chart(b.device, k, v, ms); break;
    case 'deviceConn': devices.connection(b.device, b.status); break;
    case 'deviceOtaReport': devices.ota(b.device, b); break;
    default: break;
  }
}

/** Charts int and float properties (by the thing model; a number of an unknown property too). */
function chart(device, identifier, value, ms) {
  const type = propertyInfo(device.productID, identifier)?.type;
  if (type === undefined || type === 'int' || type === 'float') charts.add(device, identifier, value, ms);
}

function propertyInfo(productID, identifier) {
  return registry.products.find((p) => p.productID === productID)?.properties?.find((p) => p.identifier === identifier);
}

// ---- registry: what the token may read feeds the pickers and the device board

async function loadRegistry() {
  const r = await fetch('/api/v1/console/registry', { headers: { authorization: `Bearer ${client.token}` } });
  const answer = await r.json();
  if (r.status !== 200) {
    notice('error', `registry: ${answer.code} ${answer.msg}`);
    return;
  }
  registry = answer.data;
  const project = $('sub-project');
  project.textContent = '';
  for (const p of registry.projects) project.append(new Option(`${p.name} (${p.projectID})`, p.projectID));
  // i-Things' "shared devices": every device shared with the user, as the shares change.
  if (registry.devices.some((d) => d.shared)) project.append(new Option('Shared with me', SHARED));
  const wanted = $('project-id').value.trim();
  if (wanted) project.value = wanted;
  devices.show(registry.devices, (areaID) => registry.areas.find((a) => a.areaID === areaID)?.name ?? '');
  showUsers(registry.users);
  fillAreas();
}

/** The tenant's registry users, for an admin: who an i-Things login token may name. */
function showUsers(users) {
  $('users-panel').hidden = !users;
  const list = $('users');
  list.textContent = '';
  for (const u of users ?? []) {
    const li = document.createElement('li');
    li.textContent = u.isAdmin ? `${u.userID} (admin)` : u.userID;
    list.append(li);
  }
}

$('sub-project').addEventListener('change', fillAreas);
$('sub-area').addEventListener('change', fillDevices);
$('sub-device').addEventListener('change', fillProperties);
$('sub-code').addEventListener('change', fillProperties);

/** The project's area tree as indented options (an area outside the grants is not shown). */
function fillAreas() {
  const projectID = $('sub-project').value;
  const select = $('sub-area');
  select.textContent = '';
  select.append(new Option('(whole project)', ''));
  const areas = projectID === SHARED ? [] : registry.areas.filter((a) => a.projectID === projectID);
  const walk = (parentID, depth) => {
    for (const a of areas.filter((x) => (x.parentID ?? null) === parentID)) {
      select.append(new Option(`${'\u2003'.repeat(depth)}${a.name} (${a.areaID})`, a.areaID));
      walk(a.areaID, depth + 1);
    }
  };
  walk(null, 0);
  fillDevices();
}

/** Devices of the chosen project, or of the chosen area and its sub-areas. */
function fillDevices() {
  const projectID = $('sub-project').value;
  const areaID = $('sub-area').value;
  const inArea = new Set(areaID ? subtree(areaID) : []);
  const select = $('sub-device');
  select.textContent = '';
  select.append(new Option('(all devices in scope)', ''));
  for (const d of registry.devices) {
    if (projectID === SHARED ? d.shared : d.projectID === projectID && (!areaID || inArea.has(d.areaID))) {
      select.append(new Option(`${d.productID}/${d.deviceName}`, `${d.productID}/${d.deviceName}`));
    }
  }
  fillProperties();
}

function subtree(areaID) {
  const ids = [areaID];
  for (let i = 0; i < ids.length; i++) for (const a of registry.areas) if (a.parentID === ids[i]) ids.push(a.areaID);
  return ids;
}

/** Properties of the chosen device's product, for property codes only. */
function fillProperties() {
  const select = $('sub-property');
  select.textContent = '';
  select.append(new Option('(all properties)', ''));
  const isProperty = PROPERTY_CODES.has($('sub-code').value);
  const device = $('sub-device').value;
  select.disabled = !isProperty || !device;
  $('sub-snapshot').disabled = !isProperty;
  $('sub-throttle').disabled = !isProperty;
  if (select.disabled) return;
  const product = registry.products.find((p) => p.productID === device.split('/')[0]);
  for (const p of product?.properties ?? []) select.append(new Option(`${p.name ?? p.identifier} (${p.identifier})`, p.identifier));
}

// ---- subscriptions

$('sub-form').addEventListener('submit', (e) => {
  e.preventDefault();
  subscribe($('sub-code').value);
});
$('subscribe-all').addEventListener('click', () => { for (const code of CODES) subscribe(code); });

function chosenParams(code) {
  const device = $('sub-device').value;
  if (device) {
    const [productID, deviceName] = [device.slice(0, device.indexOf('/')), device.slice(device.indexOf('/') + 1)];
    const identifier = PROPERTY_CODES.has(code) ? $('sub-property').value : '';
    return identifier ? { productID, deviceName, identifier } : { productID, deviceName };
  }
  const projectID = $('sub-project').value;
  if (projectID === SHARED) return { shareDevice: true };
  const areaID = $('sub-area').value;
  return areaID ? { projectID, areaID } : { projectID };
}

async function subscribe(code) {
  const params = chosenParams(code);
  const options = {};
  if (PROPERTY_CODES.has(code)) {
    if ($('sub-snapshot').checked) options.snapshot = true;
    if ($('sub-throttle').value) options.throttleMs = Number($('sub-throttle').value);
  }
  const row = subscriptionRow(code, params) ?? addSubscriptionRow(code, params);
  row.dataset.status = 'pending';
  try {
    await client.subscribe(code, params, options);
    row.dataset.status = 'ok';
  } catch (e) {
    row.dataset.status = 'error';
    row.querySelector('.state').textContent = `${e.code} ${e.message}`;
  }
}

function addSubscriptionRow(code, params) {
  const li = document.createElement('li');
  li.dataset.key = label(code, params);
  li.innerHTML = '<span class="what"></span><span class="state"></span><button type="button" title="unsubscribe">✕</button>';
  li.querySelector('.what').textContent = label(code, params);
  li.querySelector('button').addEventListener('click', async () => {
    li.remove();
    try {
      await client.unsubscribe(code, params);
    } catch (e) {
      notice('error', `unsubscribe ${label(code, params)}: ${e.message}`);
    }
  });
  $('subscriptions').append(li);
  return li;
}

function subscriptionRow(code, params) {
  return [...$('subscriptions').children].find((li) => li.dataset.key === label(code, params));
}

function label(code, params) {
  return `${code} ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ')}`;
}

// ---- notices

function notice(level, text) {
  const li = document.createElement('li');
  li.dataset.level = level;
  const t = document.createElement('time');
  t.textContent = new Date().toLocaleTimeString([], { hour12: false });
  li.append(t, text);
  $('notices').prepend(li);
  while ($('notices').children.length > 100) $('notices').lastElementChild.remove();
}

start();
