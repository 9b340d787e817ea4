// Latest values: one table per product, a row per device, a column per property of its thing
// model (name and unit in the header), each cell the newest value in words (enum labels, bools
// as on/off) with its age, flashing when it changes.

/** A value as a person reads it, by its thing-model definition (`def` may be undefined). */
export function formatValue(def, value) {
  if (value === undefined || value === null) return '–';
  switch (def?.type) {
    case 'bool': {
      const label = def.mapping?.[String(value)];
      return `${Number(value) === 1 ? 'on' : 'off'}${label ? ' · ' + label : ''}`;
    }
    case 'enum': return def.mapping?.[String(value)] ?? `${value} (unknown)`;
    case 'int':
    case 'float': return `${value}${def.unit ? ' ' + def.unit : ''}`;
    case 'timestamp': return new Date(Number(value)).toLocaleString([], { hour12: false });
    default: return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** How long ago `ms` was, briefly. */
export function age(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

export class LatestValues {
  constructor(container) {
    this.container = container;
    this.cells = new Map(); // "product/device identifier" -> {td, ms, seq, value}
    setInterval(() => this._tickAges(), 1000);
  }

  /** Lays out the tables for `devices` (of the dashboard's project) with the products' models; what was shown stays. */
  show(devices, products) {
    const before = this.cells;
    this.container.textContent = '';
    this.cells = new Map();
    if (devices.length === 0) {
      this.container.innerHTML = '<p class="hint">No device here that this token may read.</p>';
      return;
    }
    for (const product of products) {
      const mine = devices.filter((d) => d.productID === product.productID);
      const properties = product.properties ?? [];
      if (mine.length === 0 || properties.length === 0) continue;
      const table = document.createElement('table');
      table.className = 'latest';
      table.dataset.product = product.productID;
      const head = table.createTHead().insertRow();
      head.append(th(product.name ?? product.productID, product.productID));
      for (const p of properties) head.append(th(p.name ?? p.identifier, `${p.identifier}${p.unit ? ' · ' + p.unit : ''}`));
      const body = table.createTBody();
      for (const d of mine) {
        const row = body.insertRow();
        row.dataset.device = `${d.productID}/${d.deviceName}`;
        const name = row.insertCell();
        name.className = 'device-name';
        name.textContent = d.deviceName;
        for (const p of properties) {
          const td = row.insertCell();
          td.dataset.device = row.dataset.device;
          td.dataset.identifier = p.identifier;
          td.innerHTML = '<span class="value">–</span><span class="age"></span>';
          td.addEventListener('animationend', () => td.classList.remove('flash'));
          this.cells.set(`${row.dataset.device} ${p.identifier}`, { td, def: p });
        }
      }
      this.container.append(table);
    }
    for (const [key, { ms, seq, value }] of before) {
      const cell = this.cells.get(key);
      if (cell && ms !== undefined) this._show(cell, value, ms, seq, false);
    }
  }

  /** A reported value; an older one than shown (by timestamp, then seq) is ignored. */
  set(device, identifier, value, ms, seq) {
    const cell = this.cells.get(`${device.productID}/${device.deviceName} ${identifier}`);
    if (!cell || (cell.ms !== undefined && (ms < cell.ms || (ms === cell.ms && seq <= cell.seq)))) return;
    this._show(cell, value, ms, seq, cell.ms !== undefined && JSON.stringify(cell.value) !== JSON.stringify(value));
  }

  _show(cell, value, ms, seq, changed) {
    Object.assign(cell, { ms, seq, value });
    const { td, def } = cell;
    td.dataset.seq = String(seq);
    if (def?.type === 'bool') td.dataset.on = String(Number(value) === 1);
    td.querySelector('.value').textContent = formatValue(def, value);
    td.querySelector('.age').textContent = age(ms);
    td.title = new Date(ms).toLocaleString([], { hour12: false });
    if (changed) {
      // Restarts the animation even when the cell is still flashing from the last change.
      td.classList.remove('flash');
      void td.offsetWidth;
      td.classList.add('flash');
    }
  }

  _tickAges() {
    const now = Date.now();
    for (const cell of this.cells.values()) {
      if (cell.ms !== undefined) cell.td.querySelector('.age').textContent = age(cell.ms, now);
    }
  }
}

function th(text, sub) {
  const cell = document.createElement('th');
  cell.textContent = text;
  if (sub) cell.append(Object.assign(document.createElement('small'), { textContent: sub }));
  return cell;
}
