// What the dashboard subscribes to for a project, and where each push goes. Opening it:
//   1. devicePropertyReport with snapshot: the latest value of every property at once; its
//      reply's seq is where the event log stands;
//   2. deviceConn and deviceOtaReport with snapshot (SPEC §10): who is online and where each
//      upgrade stands;
//   3. deviceActionReport, for the events table;
//   4. the charts' history: devicePropertyReportV2 from the last BACKFILL_EVENTS events of the
//      log (since), until a ping says its replay is over, then unsubscribed.
// A project read whole is one scope ({projectID}); otherwise each granted root area is one, and
// the devices shared with the user one more ({shareDevice: true}).
export const SHARED = 'shared with me'; // never a project id: ids have no spaces
const BACKFILL_EVENTS = 20_000;
const STATE_CODES = ['deviceConn', 'deviceOtaReport'];

export class Dashboard {
  /** `held(code, params, options)` is told each subscription the dashboard makes. */
  constructor({ devices, latest, charts, notice, held }) {
    Object.assign(this, { devices, latest, charts, notice, held });
    this.subs = new Map(); // key -> {code, params}
    this.quiet = new Set(); // keys whose `since` is the dashboard's own history read, not a resume
    this.backfill = null; // {seam} while the charts' history is read
  }

  /** The scopes of `projectID` the registry view lets this user watch. */
  static scopes(registry, projectID) {
    if (projectID === SHARED) return [{ shareDevice: true }];
    const project = registry.projects.find((p) => p.projectID === projectID);
    if (!project) return [];
    const scopes = project.wholeProject ? [{ projectID }]
      : registry.areas.filter((a) => a.projectID === projectID && a.parentID == null).map((a) => ({ projectID, areaID: a.areaID }));
    if (!project.wholeProject && registry.devices.some((d) => d.shared && d.projectID === projectID)) scopes.push({ shareDevice: true });
    return scopes;
  }

  /** The devices the dashboard of `projectID` shows. */
  static devicesOf(registry, projectID) {
    return registry.devices.filter((d) => (projectID === SHARED ? d.shared : d.projectID === projectID));
  }

  /** Subscribes what `scopes` need and ends what they no longer do (a project switched, a grant gone). */
  async open(client, scopes) {
    const wanted = new Map();
    const add = (code, params) => wanted.set(key(code, params), { code, params });
    for (const params of scopes) for (const code of ['devicePropertyReport', ...STATE_CODES, 'deviceActionReport']) add(code, params);
    for (const [k, sub] of this.subs) {
      if (!wanted.has(k)) {
        this.subs.delete(k);
        client.unsubscribe(sub.code, sub.params).catch(() => { /* gone with the connection */ });
      }
    }
    const fresh = [...wanted].filter(([k]) => !this.subs.has(k)).map(([, sub]) => sub);
    if (fresh.length === 0) return;
    for (const sub of fresh) this.subs.set(key(sub.code, sub.params), sub);
    // All asked at once; only what needs the log's position waits for the first replies.
    const values = fresh.filter((s) => s.code === 'devicePropertyReport');
    const replies = Promise.all(values.map((s) => this._subscribe(client, s.code, s.params, { snapshot: true })));
    const states = fresh.filter((s) => STATE_CODES.includes(s.code))
      .map((s) => this._subscribe(client, s.code, s.params, { snapshot: true }));
    const actions = fresh.filter((s) => s.code === 'deviceActionReport').map((s) => this._subscribe(client, s.code, s.params));
    const since = sinceOf(await replies);
    await Promise.all([...states, ...actions, this._history(client, values.map((s) => s.params), since)]);
  }

  /** The charts' history: V2 reports replayed from `since`, the subscription ended once they are in. */
  async _history(client, scopes, since) {
    const code = 'devicePropertyReportV2';
    const replies = await Promise.all(scopes.map((params) => this._subscribe(client, code, params, { since }, false)));
    this.backfill = { seam: Math.max(0, ...replies.map((r) => r?.seq ?? 0)) };
    try {
      await client.ping({ history: true });
    } catch {
      // closed meanwhile: the reconnect resubscribes the dashboard afresh
    } finally {
      this.backfill = null;
      for (const params of scopes) client.unsubscribe(code, params).catch(() => {});
    }
  }

  async _subscribe(client, code, params, options = {}, shown = true) {
    const k = key(code, params);
    if (options.since != null) this.quiet.add(k);
    try {
      const reply = await client.subscribe(code, params, options);
      if (shown) this.held(code, params, options);
      return reply;
    } catch (e) {
      this.notice('error', `dashboard: ${code} refused: ${e.code} ${e.message}`);
      return null;
    } finally {
      this.quiet.delete(k);
    }
  }

  /** Whether a gap reported for this subscription is only the dashboard's own history read starting before history. */
  isQuiet(code, params) {
    return this.quiet.has(key(code, params));
  }

  /** The server ended a subscription (a grant revoked): the next open subscribes it again if still wanted. */
  forget(code, params) {
    this.subs.delete(key(code, params));
  }

  /** Forgets what was subscribed (the connection is gone; a new one starts afresh). */
  reset() {
    this.subs.clear();
    this.backfill = null;
  }

  /** Routes a push to the cards, table and charts; true when it is history (not for the events table). */
  route(push) {
    const b = push.body;
    const ms = Number(b.timestamp);
    switch (push.path) {
      case 'devicePropertyReport':
        this._value(b.device, b.identifier, b.param, ms, push.seq);
        return false;
      case 'devicePropertyReportV2':
        for (const [identifier, value] of Object.entries(b.params ?? {})) this._value(b.device, identifier, value, ms, push.seq);
        return this.backfill != null && push.seq <= this.backfill.seam;
      case 'deviceConn':
        this.devices.connection(b.device, b.status);
        return false;
      case 'deviceOtaReport':
        this.devices.ota(b.device, b);
        return false;
      default:
        return false;
    }
  }

  _value(device, identifier, value, ms, seq) {
    this.latest.set(device, identifier, value, ms, seq);
    this.charts.add(device, identifier, value, ms);
  }
}

/** Where the history reads start: BACKFILL_EVENTS before the log's head, as the replies' seqs tell it. */
function sinceOf(replies) {
  return Math.max(0, Math.max(0, ...replies.map((r) => r?.seq ?? 0)) - BACKFILL_EVENTS);
}

function key(code, params) {
  return `${code} ${JSON.stringify(Object.fromEntries(Object.entries(params).sort()))}`;
}
