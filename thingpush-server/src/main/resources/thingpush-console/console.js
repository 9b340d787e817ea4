// The ThingPush console. Opened with a token (the demo link carries one) it connects and the
// dashboard goes live at once: device badges, the latest values, charts with the last minutes of
// history, a panel to act on a device. The explorer tab subscribes by hand and shows every push;
// the operator tab (platform admins) shows the nodes and their connections. The connection is
// the ThingPush JavaScript client (thingpush.js): it reconnects and resumes with `since`.
import { ThingPushClient, CODES } from './thingpush.js';
import { LiveCharts } from './charts.js';
import { DeviceBoard } from './devices.js';
import { EventTable } from './events.js';
import { LatestValues } from './latest.js';
import { DevicePanel } from './panel.js';
import { OperatorView } from './operator.js';
import { Dashboard, SHARED } from './dashboard.js';

const PROPERTY_CODES = new Set(['devicePropertyReport', 'devicePropertyReportV2']);
/** How often the registry view is read again, for devices moved out of the user's reach (no push says so). */
const REGISTRY_REFRESH_MS = 30_000;
const $ = (id) => document.getElementById(id);

let client = null;
let registry = { projects: [], areas: [], products: [], devices: [] };
let selected = null; // "product/device" of the device panel
let registryTimer = null;
let reloading = null;
let layout = ''; // the devices and places the dashboard is laid out for
const unknownDevices = new Set(); // devices a push named that the registry view did not list: read once more for each

const devices = new DeviceBoard($('devices'), (key) => select(key));
const latest = new LatestValues($('latest'));
const charts = new LiveCharts($('charts'));
const panel = new DevicePanel($('panel'), () => client?.token, () => select(null));
const operator = new OperatorView(() => client?.token, () => client?.connectID, notice);
const dashboard = new Dashboard({ devices, latest, charts, notice, held: (code, params, options) => subscriptionRow(code, params, options, 'dashboard') });
const table = new EventTable({
  body: document.querySelector('#events tbody'), count: $('event-count'), filterText: $('filter-text'),
  filterCode: $('filter-code'), pause: $('pause'), clear: $('clear'), pausedCount: $('paused-count'),
});

// ---- tabs

for (const button of document.querySelectorAll('#tabs button')) button.addEventListener('click', () => showTab(button.dataset.tab));

function showTab(name) {
  for (const button of document.querySelectorAll('#tabs button')) button.setAttribute('aria-selected', String(button.dataset.tab === name));
  for (const main of document.querySelectorAll('main.tab')) main.hidden = main.id !== name;
  operator.setShown(name === 'operator');
}

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
  else showTab('explorer');
}

// ---- connection

$('connect-form').addEventListener('submit', (e) => {
  e.preventDefault();
  connect();
});
$('disconnect').addEventListener('click', () => client?.close());

function connect() {
  client?.close();
  dashboard.reset();
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
  client.on('recoveryFailed', ({ code, params, since }) => {
    if (!dashboard.isQuiet(code, params)) notice('warn', `history did not reach back to seq ${since} for ${label(code, params)}: events in between may be missing`);
  });
  client.on('revoked', ({ code, params, msg }) => {
    notice('error', `subscription ended by the server: ${label(code, params)} (${msg})`);
    subscriptionRow(code, params)?.remove();
    dashboard.forget(code, params);
    reloadRegistry();
  });
  client.on('error', (e) => notice('error', e.message));
  client.on('push', onPush);
  // The registry view is read while the connection opens: the dashboard is laid out by the time it is open.
  const view = readRegistry(token);
  client.connect().then(async () => {
    await loadRegistry(view);
    showTab('dashboard');
    clearInterval(registryTimer);
    registryTimer = setInterval(() => {
      unknownDevices.clear();
      reloadRegistry();
    }, REGISTRY_REFRESH_MS);
  }, () => { /* reported through 'close' */ });
}

function showState(state) {
  $('state').dataset.state = state;
  $('state').textContent = state;
  const live = state === 'open' || state === 'connecting' || state === 'reconnecting';
  $('disconnect').disabled = !live;
  $('subscribe').disabled = state !== 'open';
  $('subscribe-all').disabled = state !== 'open';
  if (!live) {
    $('connect-id').textContent = '–';
    clearInterval(registryTimer);
  }
}

function onPush(push) {
  $('last-seq').textContent = String(client.lastSeq);
  const device = push.body?.device ?? push.body;
  const key = device?.productID ? `${device.productID}/${device.deviceName}` : null;
  if (key && !unknownDevices.has(key) && !registry.devices.some((d) => `${d.productID}/${d.deviceName}` === key)) {
    unknownDevices.add(key);
    reloadRegistry(); // a device moved into reach, or a new one
  }
  const history = dashboard.route(push);
  if (!history) table.add(push);
}

// ---- registry: what the token may read feeds the dashboard, the pickers and the panel

/** The registry view of `token`: the answer's data, or null (said in a notice). */
async function readRegistry(token) {
  try {
    const r = await fetch('/api/v1/console/registry', { headers: { authorization: `Bearer ${token}` } });
    const answer = await r.json();
    if (r.status === 200) return answer.data;
    notice('error', `registry: ${answer.code} ${answer.msg}`);
  } catch (e) {
    notice('error', `registry: ${e.message}`);
  }
  return null;
}

/** Shows the registry view (`view`, read already; else read now). */
async function loadRegistry(view) {
  const data = await (view ?? readRegistry(client.token));
  if (!data) return;
  registry = data;
  $('tabs').querySelector('[data-tab=operator]').hidden = !registry.platformAdmin;
  fillProjects($('dash-project'));
  fillProjects($('sub-project'));
  showUsers(registry.users);
  fillAreas();
  await showDashboard();
}

/** Reads the registry view again (at most one read at a time, the next one after it). */
function reloadRegistry() {
  if (reloading) return reloading;
  reloading = new Promise((resolve) => setTimeout(resolve, 300))
    .then(() => loadRegistry())
    .finally(() => { reloading = null; });
  return reloading;
}

function fillProjects(select) {
  const before = select.value;
  select.textContent = '';
  for (const p of registry.projects) select.append(new Option(`${p.name} (${p.projectID})`, p.projectID));
  // i-Things' "shared devices": every device shared with the user, as the shares change.
  if (registry.devices.some((d) => d.shared)) select.append(new Option('Shared with me', SHARED));
  const wanted = before || $('project-id').value.trim();
  if ([...select.options].some((o) => o.value === wanted)) select.value = wanted;
}

$('dash-project').addEventListener('change', () => showDashboard());

/** Lays the dashboard out for its project and subscribes what it needs. */
async function showDashboard() {
  const projectID = $('dash-project').value;
  const shown = registry.devices.length === 0 ? [] : Dashboard.devicesOf(registry, projectID);
  const products = registry.products.filter((p) => shown.some((d) => d.productID === p.productID));
  const areaName = (areaID) => registry.areas.find((a) => a.areaID === areaID)?.name ?? '';
  const now = shown.map((d) => `${d.productID}/${d.deviceName}@${d.areaID}`).join(',');
  if (now !== layout) {
    layout = now;
    devices.show(shown, areaName);
    latest.show(shown, products);
    charts.show(products, shown);
  }
  $('dash-summary').textContent = `${shown.length} device${shown.length === 1 ? '' : 's'}`;
  if (selected && !shown.some((d) => `${d.productID}/${d.deviceName}` === selected)) select(null);
  if (client?.state === 'open') await dashboard.open(client, Dashboard.scopes(registry, projectID));
}

function select(key) {
  selected = key;
  const device = registry.devices.find((d) => `${d.productID}/${d.deviceName}` === key) ?? null;
  devices.select(device);
  panel.show(device, device && registry.products.find((p) => p.productID === device.productID),
    device ? registry.areas.find((a) => a.areaID === device.areaID)?.name ?? '' : '');
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
  const before = select.value;
  select.textContent = '';
  select.append(new Option('(all devices in scope)', ''));
  for (const d of registry.devices) {
    if (projectID === SHARED ? d.shared : d.projectID === projectID && (!areaID || inArea.has(d.areaID))) {
      select.append(new Option(`${d.productID}/${d.deviceName}`, `${d.productID}/${d.deviceName}`));
    }
  }
  if ([...select.options].some((o) => o.value === before)) select.value = before;
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

// ---- subscriptions made by hand

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
  const filter = $('sub-filter').value.trim();
  if (filter) options.filter = filter;
  const row = subscriptionRow(code, params, options, 'yours');
  row.dataset.status = 'pending';
  try {
    await client.subscribe(code, params, options);
    row.dataset.status = 'ok';
    row.querySelector('.state').textContent = '';
  } catch (e) {
    row.dataset.status = 'error';
    row.querySelector('.state').textContent = `${e.code} ${e.message}`;
  }
}

/** The row of a subscription, made when `options` are given and it has none yet. */
function subscriptionRow(code, params, options, by) {
  const key = label(code, params, options?.filter);
  let li = [...$('subscriptions').children].find((x) => x.dataset.key === key);
  if (li || !options) return li;
  li = document.createElement('li');
  li.dataset.key = key;
  li.dataset.by = by;
  li.dataset.status = 'ok';
  li.innerHTML = '<span class="what"></span><span class="by"></span><span class="state"></span><button type="button" title="unsubscribe">✕</button>';
  li.querySelector('.what').textContent = key;
  li.querySelector('.by').textContent = by;
  li.querySelector('button').addEventListener('click', async () => {
    li.remove();
    dashboard.forget(code, params);
    try {
      await client.unsubscribe(code, params, { filter: options.filter });
    } catch (e) {
      notice('error', `unsubscribe ${key}: ${e.message}`);
    }
  });
  $('subscriptions').append(li);
  return li;
}

function label(code, params, filter) {
  return `${code} ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ')}${filter ? ` filter: ${filter}` : ''}`;
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
