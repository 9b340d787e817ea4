// The client's pure parts: backoff with jitter, subscription keys, token expiry; and, on a
// scripted socket, where each subscription resumes from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThingPushClient, backoffDelay, subscriptionKey, tokenExpiry } from '../src/thingpush.js';
import { until } from './harness.js';

const opts = { minReconnectMs: 500, maxReconnectMs: 30_000, reconnectFactor: 2, jitter: 0.5 };

test('backoff doubles from the minimum up to the cap', () => {
  const noJitter = () => 0;
  assert.deepEqual([0, 1, 2, 3, 10].map((a) => backoffDelay(a, opts, noJitter)), [500, 1000, 2000, 4000, 30_000]);
});

test('jitter takes up to half of the delay away, never more', () => {
  assert.equal(backoffDelay(3, opts, () => 1), 2000);
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(3, opts);
    assert.ok(d >= 2000 && d <= 4000, `delay ${d}`);
  }
});

test('a subscription is the same whatever the order of params and whether ids are numbers', () => {
  assert.equal(subscriptionKey('deviceConn', { productID: 'p', deviceName: 1001 }),
    subscriptionKey('deviceConn', { deviceName: '1001', productID: 'p' }));
  assert.notEqual(subscriptionKey('deviceConn', { projectID: 'p1' }), subscriptionKey('devicePublish', { projectID: 'p1' }));
});

test('a filter is part of a subscription\'s identity', () => {
  const plain = subscriptionKey('deviceConn', { projectID: 'p1' });
  assert.notEqual(subscriptionKey('deviceConn', { projectID: 'p1' }, 'status == 2'), plain);
  assert.equal(subscriptionKey('deviceConn', { projectID: 'p1' }, ''), plain);
});

test('the exp claim of a JWT is read without checking it; anything else gives null', () => {
  const payload = Buffer.from(JSON.stringify({ exp: 1_900_000_000, userID: 'ü' })).toString('base64url');
  assert.equal(tokenExpiry(`e30.${payload}.sig`), 1_900_000_000_000);
  assert.equal(tokenExpiry('not a token'), null);
  assert.equal(tokenExpiry(`e30.${Buffer.from('{}').toString('base64url')}.sig`), null);
});

test('the TypeScript declarations type an app the way it uses the client (tsc --strict)', async () => {
  const { execFileSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const dir = fileURLToPath(new URL('..', import.meta.url));
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  // Throws with tsc's messages when a declaration is wrong or missing.
  execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
    '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', 'test/types.ts'], { cwd: dir, encoding: 'utf8' });
});

test('each subscription resumes from its own position: its reply\'s seq, raised by pushes above every reply\'s seq', async () => {
  // A scripted socket: the test plays the server, frame by frame.
  const sockets = [];
  class ScriptedSocket {
    constructor() { this.sent = []; sockets.push(this); }
    send(text) { this.sent.push(JSON.parse(text)); }
    close() {}
    receive(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
    answer(projectID, extra) {
      const sub = this.sent.find((m) => m.type === 'up.sub' && m.body.params.projectID === projectID);
      this.receive({ code: 200, msg: 'ok', type: 'down.subRet', handler: sub.handler, ...extra });
    }
    push(seq) { this.receive({ code: 200, msg: 'ok', type: 'down.pub', path: 'deviceConn', seq, body: {} }); }
    sinces() {
      return Object.fromEntries(this.sent.filter((m) => m.type === 'up.sub').map((m) => [m.body.params.projectID, m.body.since]));
    }
  }
  const hello = { code: 200, msg: 'ok', handler: { connectID: '1', Traceparent: '1'.repeat(32) } };
  const c = new ThingPushClient({
    url: 'ws://x', appCode: 'a', token: 't', WebSocket: ScriptedSocket, heartbeatMs: 0, minReconnectMs: 1, maxReconnectMs: 1,
  });
  const opened = async (n) => {
    await until(() => sockets.length === n, 2000, `connection ${n}`);
    sockets[n - 1].receive(hello);
    return sockets[n - 1];
  };
  try {
    const connect = c.connect();
    const first = await opened(1);
    await connect;
    const p1 = c.subscribe('deviceConn', { projectID: 'p1' });
    first.answer('p1', { seq: 40 });
    await p1;
    const p2 = c.subscribe('deviceConn', { projectID: 'p2' }, { since: 30 });
    first.answer('p2', { seq: 50, recovered: true });
    await p2;
    first.push(48); // p2's replay: an event of p1 after 40 may still be on its way
    c.subscribe('deviceConn', { projectID: 'p3' }); // not answered before the link drops
    first.onclose({ code: 1006, reason: '' });

    const second = await opened(2);
    await until(() => second.sent.length === 4, 2000, 'three up.sub and a ping');
    assert.deepEqual(second.sinces(), { p1: 40, p2: 50, p3: undefined });

    for (const p of ['p1', 'p2', 'p3']) second.answer(p, { seq: 60 });
    await new Promise((r) => setImmediate(r)); // the client takes each frame in its own task
    second.push(61);
    second.onclose({ code: 1006, reason: '' });
    const third = await opened(3);
    await until(() => third.sent.length === 4, 2000, 'three up.sub and a ping');
    assert.deepEqual(third.sinces(), { p1: 61, p2: 61, p3: 61 });
  } finally {
    c.close();
  }
});
