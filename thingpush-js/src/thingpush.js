// ThingPush JavaScript client: one WebSocket to a ThingPush server, subscriptions as promises,
// pushes as typed callbacks per code, heartbeat, and reconnect that resumes every subscription
// with `since` = its own position so the app misses nothing. No dependency: any WHATWG
// WebSocket (browsers, Node 22+, or Node 20 with --experimental-websocket), and Server-Sent
// Events over fetch where a WebSocket cannot open. Types: thingpush.d.ts. Guide: README.md.

/** The six subscription codes (SPEC §2). */
export const CODES = Object.freeze([
  'devicePropertyReport', 'devicePropertyReportV2', 'devicePublish',
  'deviceActionReport', 'deviceConn', 'deviceOtaReport',
]);

/** What each close code means to a client (docs/protocol.md, "Close codes"). */
export const CLOSE = Object.freeze({
  NORMAL: 1000, PING_TIMEOUT: 1001, ABNORMAL: 1006, MESSAGE_TOO_BIG: 1009,
  BAD_CONNECT: 4000, TOKEN: 4001, FORBIDDEN: 4003, TOO_SLOW: 4008, SHUTDOWN: 4009, LIMIT: 4029,
});

/** The close of a stream whose subscriptions changed: opened again at once with the new set. */
const REOPEN = 4100;

/** What an HTTP refusal of a stream means, as the WebSocket close code that says the same. */
const HTTP_CLOSE = { 400: CLOSE.BAD_CONNECT, 401: CLOSE.TOKEN, 403: CLOSE.FORBIDDEN, 405: CLOSE.BAD_CONNECT, 429: CLOSE.LIMIT };

/** Close codes after which reconnecting with the same parameters cannot succeed. */
const FATAL = new Set([CLOSE.BAD_CONNECT, CLOSE.FORBIDDEN, CLOSE.MESSAGE_TOO_BIG]);

const DEFAULTS = Object.freeze({
  heartbeatMs: 20_000,
  heartbeatTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  minReconnectMs: 500,
  maxReconnectMs: 30_000,
  reconnectFactor: 2,
  jitter: 0.5,
  limitPauseMs: 10_000,
  refreshBeforeMs: 60_000,
});

/** A refusal from the server (`code` a SPEC §4 error code) or a client-side failure (`code` 0). */
export class ThingPushError extends Error {
  constructor(code, message, frame) {
    super(message);
    this.name = 'ThingPushError';
    this.code = code;
    this.frame = frame;
  }
}

/** The key of a subscription: code, params in a stable order, and its filter (part of its identity). */
export function subscriptionKey(code, params, filter) {
  const sorted = {};
  for (const k of Object.keys(params ?? {}).sort()) sorted[k] = String(params[k]);
  return code + ' ' + JSON.stringify(sorted) + (filter ? ' ' + JSON.stringify(filter) : '');
}

/** The delay before reconnect attempt `attempt` (0-based): capped exponential, minus a random part. */
export function backoffDelay(attempt, { minReconnectMs, maxReconnectMs, reconnectFactor, jitter }, random = Math.random) {
  const ceiling = Math.min(maxReconnectMs, minReconnectMs * reconnectFactor ** attempt);
  return Math.round(ceiling * (1 - jitter * random()));
}

/** The `exp` claim of a JWT in milliseconds, or null (the token is not decoded otherwise). */
export function tokenExpiry(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '='))).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

export class ThingPushClient {
  /**
   * @param {object} options see thingpush.d.ts (ThingPushOptions)
   */
  constructor(options) {
    if (!options?.url) throw new TypeError('options.url is required (ws://host:7777/api/v1/system/common/websocket/connect)');
    if (!options.appCode) throw new TypeError('options.appCode is required');
    this.options = { ...DEFAULTS, ...options };
    const transport = options.transport ?? 'auto';
    if (!['auto', 'websocket', 'sse'].includes(transport)) throw new TypeError("options.transport is 'auto', 'websocket' or 'sse'");
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.fetch = options.fetch ?? globalThis.fetch;
    if (transport !== 'sse' && typeof this.WebSocket !== 'function') throw new TypeError('no WebSocket: pass options.WebSocket');
    if (transport !== 'websocket' && typeof this.fetch !== 'function') throw new TypeError('no fetch: pass options.fetch');
    /** 'websocket' or 'sse': what the client connects with (auto starts with a WebSocket). */
    this.transport = transport === 'sse' || typeof this.WebSocket !== 'function' ? 'sse' : 'websocket';
    this.token = options.token ?? null;
    this.state = 'idle';
    this.connectID = null;
    this.traceparent = null;
    /** The largest `seq` pushed so far. */
    this.lastSeq = 0;
    this._listeners = new Map();
    // key -> {code, params, options, waiters: [{resolve, reject}], active, held, position}: `active`
    // once ever accepted, `held` while accepted on this connection, `position` where it resumes
    this._subs = new Map();
    this._seam = 0;             // the largest down.subRet seq on this connection
    this._pending = new Map();  // reqID -> {resolve, reject, timer}
    this._nextReqId = 1;
    this._socket = null;
    this._attempt = 0;
    this._timers = new Set();
    this._openWaiters = [];
    this._resume = null;        // {seen: Set, fence: reqID} while replays of a resume arrive
    this._lastHeard = 0;
  }

  // ---- events

  /** Calls `listener` on each `event`; returns a function that removes it. See ThingPushEvents. */
  on(event, listener) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(listener);
    return () => this._listeners.get(event)?.delete(listener);
  }

  _emit(event, ...args) {
    for (const listener of this._listeners.get(event) ?? []) {
      try {
        listener(...args);
      } catch (e) {
        // an app's listener must not break the client; report it where it can be seen
        queueMicrotask(() => { throw e; });
      }
    }
  }

  _setState(state, detail) {
    if (this.state === state) return;
    this.state = state;
    this._emit('state', state, detail);
  }

  // ---- connecting

  /** Opens the connection; resolves with the server's first frame once accepted. */
  connect() {
    if (this.state === 'idle' || this.state === 'closed') {
      this._attempt = 0;
      this._open();
    }
    return this._whenOpen();
  }

  /** Closes for good (no reconnect); pending requests are rejected. */
  close() {
    this._stopped = true;
    this._clearTimers();
    const ws = this._socket;
    this._socket = null;
    if (ws) {
      this._detach(ws);
      try { ws.close(CLOSE.NORMAL, 'bye'); } catch { /* already closing */ }
    }
    this._failPending(new ThingPushError(0, 'client closed'));
    for (const w of this._openWaiters.splice(0)) w.reject(new ThingPushError(0, 'client closed'));
    this._setState('closed', { code: CLOSE.NORMAL, reason: 'closed by the app' });
  }

  _whenOpen() {
    if (this.state === 'open') return Promise.resolve(this._helloFrame);
    return new Promise((resolve, reject) => this._openWaiters.push({ resolve, reject }));
  }

  async _open() {
    this._stopped = false;
    this._setState(this._everOpened ? 'reconnecting' : 'connecting');
    let ws;
    try {
      const url = await this._url();
      ws = this.transport === 'sse' ? new SseSocket(streamUrl(url, this._subs.values()), this.fetch) : new this.WebSocket(url);
    } catch (e) {
      this._closed({ code: CLOSE.ABNORMAL, reason: String(e?.message ?? e) });
      return;
    }
    if (this._stopped) {
      try { ws.close(); } catch { /* not open yet */ }
      return;
    }
    this._socket = ws;
    let hello = false;
    ws.onmessage = (m) => {
      this._lastHeard = Date.now();
      const frame = parse(m.data);
      if (!hello) {
        hello = true;
        this._onHello(frame);
      } else {
        this._frame(frame);
      }
    };
    ws.onclose = (e) => {
      if (this._socket === ws) this._ended(hello, { code: e.code, reason: e.reason, refusal: this._refusal });
    };
    ws.onerror = () => {
      // A failed connect: browsers follow with a close event, some runtimes (Node 20) do not.
      // Once open, the close event follows and carries the code.
      if (this._socket === ws && ws.readyState === 0) this._ended(hello, { code: CLOSE.ABNORMAL, reason: 'connect failed' });
    };
  }

  /**
   * With transport 'auto', a connection that never got through (no first frame) switches
   * transport until one has opened: a WebSocket that cannot open (a proxy that strips the
   * upgrade) is tried as a stream at once; a stream that cannot open either (the server is down)
   * goes back to the WebSocket for the next attempt.
   */
  _ended(hello, detail) {
    const auto = (this.options.transport ?? 'auto') === 'auto';
    if (auto && !hello && !this._everOpened && detail.code === CLOSE.ABNORMAL && typeof this.WebSocket === 'function') {
      const wasWebSocket = this.transport === 'websocket';
      this.transport = wasWebSocket ? 'sse' : 'websocket';
      if (wasWebSocket) {
        this._detach(this._socket);
        this._socket = null;
        this._open();
        return;
      }
    }
    this._closed(detail);
  }

  async _url() {
    const u = new URL(this.options.url);
    if (this.token === null && this.options.refreshToken) this.token = await this.options.refreshToken();
    const params = { token: this.token, 'app-code': this.options.appCode, 'project-id': this.options.projectId, 'tenant-code': this.options.tenantCode };
    for (const [k, v] of Object.entries(params)) if (v != null) u.searchParams.set(k, v);
    return u.toString();
  }

  _onHello(frame) {
    if (frame?.code !== 200) {
      // The server closes right after a refusal; the close decides what happens next.
      this._refusal = frame;
      this._emit('refused', { code: frame?.code, msg: frame?.msg });
      return;
    }
    this._refusal = null;
    const resumed = Boolean(this._everOpened);
    this._everOpened = true;
    this._attempt = 0;
    this.connectID = frame.handler?.connectID ?? null;
    this.traceparent = frame.handler?.Traceparent ?? null;
    this._helloFrame = frame;
    this._seam = 0;
    for (const sub of this._subs.values()) sub.held = false;
    this._setState('open', { connectID: this.connectID });
    this._emit('open', { connectID: this.connectID, traceparent: this.traceparent, resumed, transport: this.transport });
    this._startHeartbeat();
    this._scheduleRefresh();
    this._resubscribe();
    for (const w of this._openWaiters.splice(0)) w.resolve(frame);
  }

  _closed({ code, reason, refusal }) {
    const ws = this._socket;
    this._socket = null;
    if (ws) this._detach(ws);
    this._clearTimers();
    this._resume = null;
    this._failPending(new ThingPushError(0, `connection closed: ${code} ${reason ?? ''}`.trim()));
    if (this._stopped) return;
    const detail = { code, reason, refusal: refusal ?? undefined };
    if (code === REOPEN) {
      this._open();
      return;
    }
    if (code === CLOSE.TOKEN) {
      this._tokenRejected(detail);
      return;
    }
    if (FATAL.has(code)) {
      this._giveUp(detail);
      return;
    }
    const pause = code === CLOSE.LIMIT ? this.options.limitPauseMs : 0;
    const delay = pause + backoffDelay(this._attempt++, this.options);
    this._emit('close', { ...detail, reconnectInMs: delay });
    this._setState('reconnecting', detail);
    this._later(() => this._open(), delay);
  }

  async _tokenRejected(detail) {
    this._emit('tokenExpired', detail);
    const refresh = this.options.refreshToken;
    if (!refresh) {
      this._giveUp(detail);
      return;
    }
    try {
      this.token = await refresh();
    } catch (e) {
      this._giveUp({ ...detail, reason: `token refresh failed: ${e?.message ?? e}` });
      return;
    }
    if (this._stopped) return;
    const delay = backoffDelay(this._attempt++, this.options);
    this._emit('close', { ...detail, reconnectInMs: delay });
    this._setState('reconnecting', detail);
    this._later(() => this._open(), delay);
  }

  _giveUp(detail) {
    this._stopped = true;
    this._emit('close', { ...detail, reconnectInMs: null });
    this._setState('closed', detail);
    const error = new ThingPushError(detail.refusal?.code ?? 0, `closed: ${detail.code} ${detail.reason ?? ''}`.trim(), detail.refusal);
    for (const w of this._openWaiters.splice(0)) w.reject(error);
    for (const sub of this._subs.values()) for (const w of sub.waiters.splice(0)) w.reject(error);
  }

  /** Uses `token` for the next connects, and on an open connection swaps it in place (up.setHandle). */
  async setToken(token) {
    this.token = token;
    if (this.state === 'open') return this._request('up.setHandle', { token });
    if (this.state === 'closed' && this._everOpened) this.connect();
    return null;
  }

  _scheduleRefresh() {
    const refresh = this.options.refreshToken;
    const exp = this.token && tokenExpiry(this.token);
    if (!refresh || !exp) return;
    const wait = Math.max(0, exp - Date.now() - this.options.refreshBeforeMs);
    this._later(async () => {
      try {
        await this.setToken(await refresh());
        this._scheduleRefresh();
      } catch (e) {
        this._emit('error', new ThingPushError(e?.code ?? 0, `token refresh failed: ${e?.message ?? e}`));
      }
    }, wait);
  }

  // ---- heartbeat: the browser answers the server's pings by itself but cannot see a dead link

  _startHeartbeat() {
    const { heartbeatMs, heartbeatTimeoutMs } = this.options;
    if (!heartbeatMs) return;
    const beat = () => {
      const ws = this._socket;
      if (!ws) return;
      if (Date.now() - this._lastHeard > heartbeatMs + heartbeatTimeoutMs) {
        // Nothing heard, not even the pong of the last beat: the link is dead. Drop the socket
        // without waiting for a closing handshake that would never come.
        this._detach(ws);
        try { ws.close(); } catch { /* already gone */ }
        this._closed({ code: CLOSE.ABNORMAL, reason: 'no answer to heartbeat' });
        return;
      }
      this._request('up.ping', { t: Date.now() }).catch(() => { /* the close handles it */ });
      this._later(beat, heartbeatMs);
    };
    this._later(beat, heartbeatMs);
  }

  // ---- requests

  _request(type, body) {
    const ws = this._socket;
    if (!ws || this.state !== 'open') return Promise.reject(new ThingPushError(0, 'not connected'));
    const reqID = String(this._nextReqId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(reqID);
        reject(new ThingPushError(0, `${type}: no reply within ${this.options.requestTimeoutMs} ms`));
      }, this.options.requestTimeoutMs);
      this._pending.set(reqID, { resolve, reject, timer });
      try {
        ws.send(JSON.stringify({ type, handler: { reqID }, body }));
      } catch (e) {
        this._pending.delete(reqID);
        clearTimeout(timer);
        reject(new ThingPushError(0, `${type}: ${e?.message ?? e}`));
      }
    });
  }

  _failPending(error) {
    for (const { reject, timer } of this._pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this._pending.clear();
  }

  /**
   * Subscribes; resolves with `down.subRet` once the server accepted, rejects with a
   * ThingPushError carrying its code when refused. Kept across reconnects until unsubscribed.
   */
  subscribe(code, params, options = {}) {
    const key = subscriptionKey(code, params, options.filter);
    let sub = this._subs.get(key);
    if (!sub) {
      sub = { key, code, params: { ...params }, options: { ...options }, waiters: [], active: false, held: false, position: undefined };
      this._subs.set(key, sub);
    } else {
      sub.options = { ...options };
    }
    if (options.since != null) raise(sub, options.since);
    const done = new Promise((resolve, reject) => sub.waiters.push({ resolve, reject }));
    if (this.state === 'open') this._sendSub(sub, options.since);
    return done;
  }

  /** Ends a subscription (a filtered one: give its `filter`); resolves with `down.unSubRet`. */
  async unsubscribe(code, params, { filter } = {}) {
    const key = subscriptionKey(code, params, filter);
    const sub = this._subs.get(key);
    this._subs.delete(key);
    if (sub) for (const w of sub.waiters.splice(0)) w.reject(new ThingPushError(0, 'unsubscribed'));
    if (this.state !== 'open') return { code: 200, type: 'down.unSubRet' };
    const reply = await this._request('up.unSub', filter ? { code, params, filter } : { code, params });
    if (reply.code !== 200) throw new ThingPushError(reply.code, reply.msg, reply);
    return reply;
  }

  /**
   * A round trip (`up.ping`): resolves with `down.pong`, echoing `body`, once every frame the
   * server queued before it (a replay, a snapshot) has arrived.
   */
  ping(body = {}) {
    return this._request('up.ping', body);
  }

  /** The subscriptions held (also while reconnecting), as given to subscribe. */
  subscriptions() {
    return [...this._subs.values()].map(({ code, params, options }) => ({ code, params, options }));
  }

  /** `resuming`: the subscription was held before this connection. */
  async _sendSub(sub, since, resuming = false) {
    const body = subBody(sub, since);
    let reply;
    try {
      reply = await this._request('up.sub', body);
    } catch {
      return; // closed before the reply: sent again after the reconnect
    }
    if (this._subs.get(sub.key) !== sub) return;
    if (reply.code !== 200) {
      this._subs.delete(sub.key);
      const error = new ThingPushError(reply.code, reply.msg, reply);
      for (const w of sub.waiters.splice(0)) w.reject(error);
      if (sub.active) this._emit('revoked', { code: sub.code, params: sub.params, errorCode: reply.code, msg: reply.msg });
      return;
    }
    sub.active = true;
    sub.held = true;
    if (Number.isInteger(reply.seq)) {
      raise(sub, reply.seq);
      this._seam = Math.max(this._seam, reply.seq);
    }
    // History no longer reached back, or no position to resume from (a reply without seq, no push).
    if (reply.recovered === false || (resuming && since === undefined)) {
      this._emit('recoveryFailed', { code: sub.code, params: sub.params, since });
    }
    for (const w of sub.waiters.splice(0)) w.resolve(reply);
  }

  /**
   * After a reconnect: subscribes everything again, each with `since` = its position, then a
   * ping whose pong follows every replay; until it, a push seen twice (two overlapping
   * subscriptions replay the same event) is dropped.
   */
  _resubscribe() {
    const subs = [...this._subs.values()];
    if (subs.some((s) => s.active && s.position !== undefined)) this._resume = { seen: new Set() };
    for (const sub of subs) {
      this._sendSub(sub, sub.position, sub.active);
    }
    if (this._resume) {
      const resume = this._resume;
      this._request('up.ping', { resume: true })
        .catch(() => {})
        .finally(() => { if (this._resume === resume) this._resume = null; });
    }
  }

  // ---- receiving

  _frame(frame) {
    if (frame === null || typeof frame !== 'object') return;
    if (frame.type === 'down.pub') {
      this._push(frame);
      return;
    }
    const reqID = frame.handler?.reqID;
    const pending = reqID != null && this._pending.get(reqID);
    if (pending) {
      this._pending.delete(reqID);
      clearTimeout(pending.timer);
      pending.resolve(frame);
      return;
    }
    if (frame.type === 'down.unSubRet' && frame.code === 100012 && frame.body) {
      // A grant was revoked: the server ended this subscription.
      const key = subscriptionKey(frame.body.code, frame.body.params, frame.body.filter);
      this._subs.delete(key);
      this._emit('revoked', { code: frame.body.code, params: frame.body.params, errorCode: frame.code, msg: frame.msg });
      return;
    }
    this._emit('error', new ThingPushError(frame.code ?? 0, frame.msg ?? 'unexpected frame', frame));
  }

  _push(frame) {
    if (this._resume) {
      const id = pushIdentity(frame);
      if (this._resume.seen.has(id)) return;
      this._resume.seen.add(id);
    }
    if (typeof frame.seq === 'number') {
      if (frame.seq > this.lastSeq) this.lastSeq = frame.seq;
      // Above every reply's seq a push is live, and live pushes come in seq order: nothing of a
      // held subscription below it is still to come. At or below, it may be another
      // subscription's replay or snapshot, ahead of an older event of this one still on its way.
      if (frame.seq > this._seam) {
        for (const sub of this._subs.values()) if (sub.held) raise(sub, frame.seq);
      }
    }
    this._emit(frame.path, frame.body, frame);
    this._emit('push', frame);
  }

  // ---- plumbing

  _later(fn, ms) {
    const t = setTimeout(() => {
      this._timers.delete(t);
      fn();
    }, ms);
    this._timers.add(t);
  }

  _clearTimers() {
    for (const t of this._timers) clearTimeout(t);
    this._timers.clear();
  }

  _detach(ws) {
    ws.onmessage = ws.onclose = ws.onerror = null;
  }
}

/** The body of the up.sub of `sub` (also its `sub=` parameter on a stream). */
function subBody(sub, since) {
  const body = { code: sub.code, params: sub.params };
  const { snapshot, throttleMs, filter } = sub.options;
  if (filter) body.filter = filter;
  if (since != null) body.since = since;
  if (snapshot) body.snapshot = true;
  if (throttleMs != null) body.throttleMs = throttleMs;
  return body;
}

/**
 * The stream's URL for the WebSocket URL `url`: the same host, port and connect parameters, one
 * `sub` parameter per subscription, each with `since` = its position (as a resume on a WebSocket).
 */
function streamUrl(url, subs) {
  const u = new URL(url);
  u.protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  u.pathname = u.pathname.replace(/\/websocket\/connect$/, '/sse/connect');
  for (const sub of subs) u.searchParams.append('sub', JSON.stringify(subBody(sub, sub.position)));
  return u.toString();
}

/**
 * A Server-Sent Events stream (GET …/sse/connect, read with fetch) in the shape of the WebSocket
 * the client drives, so that connecting, resuming and the heartbeat are the same code. A stream
 * takes no messages: it answers them here. An up.sub of a subscription in the stream gets the
 * stream's down.subRet (they come in the order of the `sub` parameters, the order the client
 * sends them); any other change of the set (a new subscription, an unsubscribe, a new token)
 * ends the stream with REOPEN, and the client opens it again with the new set. An up.ping is
 * answered when the stream next sends anything (an event or its heartbeat comment), so the
 * client's heartbeat still finds a dead link. fetch rather than EventSource: it reads a
 * refusal's status and JSON body, where an EventSource only sees an error.
 */
class SseSocket {
  constructor(url, fetchImpl) {
    this.readyState = 0;
    this.onmessage = this.onclose = this.onerror = null;
    this._keys = new Set(new URL(url).searchParams.getAll('sub').map((s) => {
      const b = JSON.parse(s);
      return subscriptionKey(b.code, b.params, b.filter);
    }));
    this._replyIDs = [];  // reqIDs of up.sub awaiting the stream's down.subRet, in order
    this._replies = [];   // down.subRet frames that came before their up.sub
    this._pings = [];     // reqIDs of up.ping answered by the stream's next bytes
    this._abort = new AbortController();
    this._run(url, fetchImpl);
  }

  send(text) {
    if (this.readyState !== 1) throw new Error('stream not open');
    const { type, handler, body } = JSON.parse(text);
    const reqID = handler?.reqID;
    if (type === 'up.ping') {
      this._pings.push(reqID);
      return;
    }
    if (type === 'up.sub' && this._keys.delete(subscriptionKey(body.code, body.params, body.filter))) {
      this._replyIDs.push(reqID);
      this._pair();
      return;
    }
    const replyType = { 'up.unSub': 'down.unSubRet', 'up.setHandle': 'down.setHandleRet' }[type];
    if (replyType) this._deliver({ code: 200, msg: '成功', type: replyType, handler: { reqID } });
    queueMicrotask(() => this._end(REOPEN, 'subscriptions changed'));
  }

  close() {
    this.readyState = 3;
    this._abort.abort();
  }

  async _run(url, fetchImpl) {
    let response;
    try {
      response = await fetchImpl(url, { headers: { accept: 'text/event-stream' }, cache: 'no-store', signal: this._abort.signal });
      if (response.status !== 200) {
        const refusal = await response.json().catch(() => ({ code: response.status, msg: response.statusText }));
        this._deliver(refusal); // read as the connect frame: a refusal
        this._end(HTTP_CLOSE[response.status] ?? CLOSE.ABNORMAL, `HTTP ${response.status}`);
        return;
      }
      this.readyState = 1;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = 'message';
      let data = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, end).replace(/\r$/, '');
          buffer = buffer.slice(end + 1);
          if (line === '') {
            if (data.length && event === 'close') {
              const close = JSON.parse(data.join('\n'));
              this._end(close.code ?? CLOSE.ABNORMAL, close.reason);
              return;
            }
            if (data.length) this._deliver(data.join('\n'));
            event = 'message';
            data = [];
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event = text;
            else if (field === 'data') data.push(text);
          }
        }
        if (this._replyIDs.length === 0 && this._replies.length === 0) {
          for (const reqID of this._pings.splice(0)) this._deliver({ code: 200, msg: '成功', type: 'down.pong', handler: { reqID } });
        }
      }
      this._end(CLOSE.ABNORMAL, 'stream ended');
    } catch (e) {
      this._end(CLOSE.ABNORMAL, String(e?.message ?? e));
    }
  }

  _deliver(frame) {
    if (this.readyState === 3) return;
    if (typeof frame === 'string') {
      const parsed = parse(frame);
      if (parsed?.type === 'down.subRet' && parsed.handler?.reqID == null) {
        this._replies.push(parsed);
        this._pair();
        return;
      }
    }
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  _pair() {
    while (this._replyIDs.length && this._replies.length) {
      const reply = this._replies.shift();
      reply.handler = { ...reply.handler, reqID: this._replyIDs.shift() };
      this._deliver(JSON.stringify(reply));
    }
  }

  _end(code, reason) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this._abort.abort();
    this.onclose?.({ code, reason });
  }
}

/** Moves where `sub` resumes from up to `seq`; a position never goes back. */
function raise(sub, seq) {
  if (sub.position === undefined || seq > sub.position) sub.position = seq;
}

function parse(data) {
  try {
    return JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
  } catch {
    return null;
  }
}

/** Which push a frame is, to tell a replayed duplicate: a V2 push through identifier subscriptions carries a subset. */
function pushIdentity(frame) {
  const subset = frame.path === 'devicePropertyReportV2' ? Object.keys(frame.body?.params ?? {}).sort().join(',') : '';
  return `${frame.seq} ${frame.path} ${subset}`;
}
