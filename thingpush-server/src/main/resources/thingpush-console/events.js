// The live event table: newest first, bounded, with a text and code filter and a pause.
const MAX_ROWS = 500;

export class EventTable {
  constructor({ body, count, filterText, filterCode, pause, clear, pausedCount }) {
    Object.assign(this, { body, count, filterText, filterCode, pauseButton: pause, pausedCount });
    this.held = [];
    this.total = 0;
    this.paused = false;
    filterText.addEventListener('input', () => this._applyFilter());
    filterCode.addEventListener('change', () => this._applyFilter());
    pause.addEventListener('click', () => this.setPaused(!this.paused));
    clear.addEventListener('click', () => { this.body.textContent = ''; this.held = []; this._counts(); });
  }

  add(push) {
    this.total++;
    if (this.paused) {
      this.held.push(push);
      if (this.held.length > MAX_ROWS) this.held.shift();
    } else {
      this._row(push);
    }
    this._counts();
  }

  setPaused(paused) {
    this.paused = paused;
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) {
      for (const push of this.held.splice(0)) this._row(push);
    }
    this._counts();
  }

  _row(push) {
    const tr = document.createElement('tr');
    const device = deviceOf(push.body);
    tr.dataset.seq = String(push.seq);
    tr.dataset.code = push.path;
    const cells = [time(push.body?.timestamp), push.seq, push.path, device, detail(push.path, push.body)];
    for (const [i, text] of cells.entries()) {
      const td = document.createElement('td');
      if (i === 4) td.className = 'detail';
      td.textContent = String(text);
      tr.append(td);
    }
    tr.hidden = !this._matches(tr);
    this.body.prepend(tr);
    while (this.body.rows.length > MAX_ROWS) this.body.lastElementChild.remove();
  }

  _matches(tr) {
    const code = this.filterCode.value;
    const text = this.filterText.value.trim().toLowerCase();
    return (!code || tr.dataset.code === code) && (!text || tr.textContent.toLowerCase().includes(text));
  }

  _applyFilter() {
    for (const tr of this.body.rows) tr.hidden = !this._matches(tr);
  }

  _counts() {
    this.count.textContent = `${this.total} received`;
    this.pausedCount.textContent = this.paused ? `${this.held.length} held while paused` : '';
  }
}

function deviceOf(body) {
  const d = body?.device ?? body;
  return d?.productID ? `${d.productID}/${d.deviceName}` : '';
}

function time(ms) {
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

/** One line saying what happened, per code (SPEC §3). */
export function detail(code, b) {
  switch (code) {
    case 'devicePropertyReport': return `${b.identifier} = ${JSON.stringify(b.param)}`;
    case 'devicePropertyReportV2': return Object.entries(b.params ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('  ');
    case 'deviceConn': return b.status === 1 ? 'online' : b.status === 2 ? 'offline' : `status ${b.status}`;
    case 'deviceOtaReport': return `step ${b.step} · status ${b.status}${b.detail ? ' · ' + b.detail : ''}`;
    case 'deviceActionReport': return `${b.actionID} ${b.dir} ${b.reqType}${b.code != null ? ' → ' + b.code : ''} ${b.params ? JSON.stringify(b.params) : ''}`.trim();
    case 'devicePublish': return `${b.action} ${b.topic ?? ''} ${b.content ?? ''}`.trim();
    default: return JSON.stringify(b);
  }
}
