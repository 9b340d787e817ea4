// Device cards: a connection badge and firmware-upgrade progress. The badge says what the server
// said last on deviceConn: its snapshot when the dashboard opens, then each push; a device the
// server has no connection state of (it never connected or disconnected since the server's state
// began) is `unknown`.
const keyOf = (device) => `${device.productID}/${device.deviceName}`;

export class DeviceBoard {
  constructor(container, onSelect) {
    this.container = container;
    this.onSelect = onSelect;
    this.cards = new Map(); // key -> {card, status}
  }

  /** Shows `devices`, each with where it is; what was known of one still shown is kept. */
  show(devices, areaName) {
    const before = this.cards;
    this.cards = new Map();
    this.container.textContent = '';
    if (devices.length === 0) {
      this.container.innerHTML = '<p class="hint">No device here that this token may read.</p>';
      return;
    }
    for (const d of devices) {
      const state = before.get(keyOf(d)) ?? this._card(d);
      state.card.querySelector('.where').textContent = `${areaName(d.areaID)}${d.shared ? ' · shared with you' : ''}`;
      this.cards.set(keyOf(d), state);
      this.container.append(state.card);
    }
  }

  has(device) {
    return this.cards.has(keyOf(device));
  }

  /** status 1 online, 2 offline (SPEC §3). */
  connection(device, status) {
    const state = this.cards.get(keyOf(device));
    if (!state) return;
    state.status = status;
    this._badge(state);
  }

  ota(device, { step, status, detail }) {
    const state = this.cards.get(keyOf(device));
    if (!state) return;
    let row = state.card.querySelector('.ota');
    if (!row) {
      row = document.createElement('div');
      row.className = 'ota';
      row.innerHTML = '<span>firmware</span><progress max="100"></progress><span class="ota-text"></span>';
      state.card.append(row);
    }
    const failed = step < 0 || status === 6;
    row.dataset.result = failed ? 'failed' : status === 5 || step >= 100 ? 'done' : 'running';
    row.querySelector('progress').value = failed ? 100 : step;
    row.querySelector('.ota-text').textContent = failed ? `failed (${step})` : `${step}% ${detail ?? ''}`.trim();
  }

  select(device) {
    for (const [key, { card }] of this.cards) card.setAttribute('aria-selected', String(device != null && key === keyOf(device)));
  }

  _badge(state) {
    const badge = state.card.querySelector('.badge');
    const known = state.status === 1 || state.status === 2;
    const status = known ? (state.status === 1 ? 'online' : 'offline') : 'unknown';
    badge.dataset.status = status;
    badge.textContent = status;
    badge.title = known ? 'deviceConn' : 'no connection event from the server yet';
  }

  _card(device) {
    const card = document.createElement('button');
    card.type = 'button';
    card.className = 'device';
    card.dataset.device = keyOf(device);
    card.innerHTML = '<span class="name"></span><span class="badge" data-status="unknown">unknown</span><span class="where"></span>';
    card.querySelector('.name').textContent = keyOf(device);
    card.addEventListener('click', () => this.onSelect(card.dataset.device));
    const state = { card };
    this._badge(state);
    return state;
  }
}
