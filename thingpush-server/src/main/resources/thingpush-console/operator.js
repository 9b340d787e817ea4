// The operator view, for platform admins: the nodes' status and their open connections from the
// admin API (docs/admin-api.md), refreshed every two seconds while shown; a connection found by
// user or connectID can be closed with a chosen code and reason.
import { age } from './latest.js';

const REFRESH_MS = 2000;
const $ = (id) => document.getElementById(id);

export class OperatorView {
  /** `token()` the user's token, `ownConnectId()` this page's connectID, `notice(level, text)`. */
  constructor(token, ownConnectId, notice) {
    Object.assign(this, { token, ownConnectId, notice });
    this.timer = null;
    let typing;
    $('conn-search').addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => this.refresh(), 250);
    });
  }

  /** Refreshes now and every two seconds while `shown`. */
  setShown(shown) {
    clearInterval(this.timer);
    this.timer = null;
    if (shown) {
      this.refresh();
      this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    }
  }

  async refresh() {
    try {
      const q = $('conn-search').value.trim();
      const [nodes, connections] = await Promise.all([
        this._get('/api/v1/admin/nodes'),
        this._get(`/api/v1/admin/connections?limit=200${q ? '&q=' + encodeURIComponent(q) : ''}`),
      ]);
      this._nodes(nodes.nodes);
      this._connections(connections);
      $('nodes-updated').textContent = `updated ${new Date().toLocaleTimeString([], { hour12: false })}`;
    } catch (e) {
      $('nodes-updated').textContent = e.message;
    }
  }

  async _get(path) {
    const r = await fetch(path, { headers: { authorization: `Bearer ${this.token()}` } });
    const answer = await r.json();
    if (r.status !== 200) throw new Error(`${path}: ${answer.code} ${answer.msg}`);
    return answer.data;
  }

  _nodes(nodes) {
    const body = $('nodes').tBodies[0];
    body.textContent = '';
    for (const n of nodes) {
      const tenants = Object.entries(n.connectionsByTenant).map(([t, c]) => `${t} ${c}`).join(', ');
      const row = cells(body.insertRow(), [n.node, age(n.startedAt), n.connections, tenants || '–', n.subscriptions,
        n.devicesConnected, n.eventsInPerSecond.toFixed(1), n.eventsOutPerSecond.toFixed(1), n.droppedFrames,
        n.slowClientCloses, n.pushLatencyP99Ms == null ? '–' : `${n.pushLatencyP99Ms.toFixed(2)} ms`]);
      row.dataset.node = n.node;
      row.cells[1].title = new Date(n.startedAt).toLocaleString([], { hour12: false });
    }
  }

  _connections({ items, total }) {
    $('connections-total').textContent = `${total} open${items.length < total ? `, ${items.length} shown` : ''}`;
    const body = $('connections').tBodies[0];
    body.textContent = '';
    for (const c of items) {
      const own = c.connectID === this.ownConnectId();
      const subs = c.subscriptions.map((s) => `${s.code} ${JSON.stringify(s.params)}`);
      const row = cells(body.insertRow(), [`${c.connectID}${own ? ' (this page)' : ''}`, c.node, c.userID, c.tenantCode,
        c.appCode, subs.length, c.queuedFrames, age(c.openedAt)]);
      row.dataset.connectId = c.connectID;
      row.cells[5].title = subs.join('\n');
      row.cells[7].title = new Date(c.openedAt).toLocaleString([], { hour12: false });
      const close = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Close', className: 'close' });
      close.addEventListener('click', () => this._close(c.connectID));
      row.insertCell().append(close);
    }
  }

  async _close(connectId) {
    const code = Number($('close-code').value);
    const reason = $('close-reason').value;
    const r = await fetch(`/api/v1/admin/connections/${encodeURIComponent(connectId)}/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code, reason }),
    });
    const answer = await r.json();
    if (r.status === 200) this.notice('info', `closed connectID ${connectId} with ${code} ${reason}`);
    else this.notice('error', `closing connectID ${connectId}: ${answer.code} ${answer.msg}`);
    this.refresh();
  }
}

function cells(row, values) {
  for (const v of values) row.insertCell().textContent = String(v);
  return row;
}
