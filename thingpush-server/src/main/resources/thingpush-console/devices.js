// Device cards: online/offline badge from deviceConn, firmware-upgrade progress from deviceOtaReport.
const keyOf = (device) => `${device.productID}/${device.deviceName}`;

export class DeviceBoard {
  constructor(container) {
    this.container = container;
    this.cards = new Map();
  }

  /** Shows the devices of the registry view, with where they are. */
  show(devices, areaName) {
    this.container.textContent = '';
    this.cards.clear();
    if (devices.length === 0) {
      this.container.innerHTML = '<p class="hint">This token may read no device.</p>';
      return;
    }
    for (const d of devices) this._card(d, areaName(d.areaID));
  }

  /** status 1 online, 2 offline (SPEC §3). */
  connection(device, status) {
    const badge = this._card(device).querySelector('.badge');
    badge.dataset.status = status === 1 ? 'online' : status === 2 ? 'offline' : 'unknown';
    badge.textContent = badge.dataset.status;
  }

  ota(device, { step, status, detail }) {
    const card = this._card(device);
    let row = card.querySelector('.ota');
    if (!row) {
      row = document.createElement('div');
      row.className = 'ota';
      row.innerHTML = '<span>firmware</span><progress max="100"></progress><span class="ota-text"></span>';
      card.append(row);
    }
    const failed = step < 0 || status === 6;
    row.dataset.result = failed ? 'failed' : status === 5 || step >= 100 ? 'done' : 'running';
    row.querySelector('progress').value = failed ? 100 : step;
    row.querySelector('.ota-text').textContent = failed ? `failed (${step})` : `${step}% ${detail ?? ''}`.trim();
  }

  _card(device, where) {
    const key = keyOf(device);
    let card = this.cards.get(key);
    if (!card) {
      if (this.cards.size === 0) this.container.textContent = '';
      card = document.createElement('div');
      card.className = 'device';
      card.dataset.device = key;
      card.innerHTML = '<span class="name"></span><span class="badge" data-status="unknown">unknown</span><span class="where"></span>';
      card.querySelector('.name').textContent = key;
      card.querySelector('.where').textContent = where ?? '';
      this.container.append(card);
      this.cards.set(key, card);
    }
    return card;
  }
}
