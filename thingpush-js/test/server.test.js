// The client against a real ThingPush server (started by the Java test JsClientTest, which
// passes THINGPUSH_CONTROL): subscribe/unsubscribe, typed pushes, refusals, heartbeat on a
// dead link, resume with `since` after a cut link (also of a subscription that had no push)
// and after a server restart, token refresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ThingPushClient, ThingPushError, CLOSE } from '../src/thingpush.js';
import { haveServer, info, token, restart, advance, publish, until, next, proxy, noUpgradeProxy } from './harness.js';

const skip = haveServer() ? false : 'THINGPUSH_CONTROL not set: run through `mvn verify` (JsClientTest)';
let server;
const clients = [];

before(async () => {
  if (!skip) server = await info();
});

after(() => {
  for (const c of clients) c.close();
});

/** A client of `user` on the server (or through `port`, a proxy), closed after the tests. */
async function client(user, extra = {}, port) {
  const url = new URL(server.wsUrl);
  if (port) url.port = String(port);
  const c = new ThingPushClient({
    url: url.toString(), token: await token(user), appCode: server.appCode,
    minReconnectMs: 100, maxReconnectMs: 1000, ...extra,
  });
  clients.push(c);
  return c;
}

/** Collects every push of `code` the client receives, as [seq, body]. */
function collect(c, code) {
  const got = [];
  c.on(code, (body, push) => got.push([push.seq, body]));
  return got;
}

const report = (value) => ({ identifier: 'temp', param: value });

test('subscribe resolves with the reply, pushes arrive typed per code, unsubscribe stops them', { skip }, async () => {
  const c = await client('alice');
  const hello = await c.connect();
  assert.equal(hello.code, 200);
  assert.match(c.connectID, /^\d+$/);
  assert.match(c.traceparent, /^[0-9a-f]{32}$/);
  const temps = collect(c, 'devicePropertyReport');
  const conns = collect(c, 'deviceConn');

  const reply = await c.subscribe('devicePropertyReport', { productID: 'prodA', deviceName: 'k01', identifier: 'temp' });
  assert.equal(reply.type, 'down.subRet');
  assert.equal(reply.code, 200);
  await c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'k01' });
  const seq = await publish(server, 'devicePropertyReport', 'prodA', 'k01', report(21.5));
  await publish(server, 'deviceConn', 'prodA', 'k01', { status: 2 });

  await until(() => temps.length === 1 && conns.length === 1, 5000, 'two pushes');
  assert.equal(temps[0][0], seq);
  assert.deepEqual(temps[0][1].device, { productID: 'prodA', deviceName: 'k01' });
  assert.equal(temps[0][1].param, 21.5);
  assert.equal(conns[0][1].status, 2);
  assert.equal(c.lastSeq, seq + 1);

  const unsub = await c.unsubscribe('devicePropertyReport', { productID: 'prodA', deviceName: 'k01', identifier: 'temp' });
  assert.equal(unsub.type, 'down.unSubRet');
  await publish(server, 'devicePropertyReport', 'prodA', 'k01', report(22));
  await publish(server, 'deviceConn', 'prodA', 'k01', { status: 1 });
  await until(() => conns.length === 2, 5000, 'the second deviceConn push');
  assert.equal(temps.length, 1, 'no push after unsubscribe');
  assert.deepEqual(c.subscriptions().map((s) => s.code), ['deviceConn']);
});

test('ping answers once what the server queued before it has arrived: the whole replay of a subscription', { skip }, async () => {
  const c = await client('alice');
  await c.connect();
  const seqs = [];
  for (const t of [1, 2, 3]) seqs.push(await publish(server, 'devicePropertyReport', 'prodA', 'k02', report(t)));
  const temps = collect(c, 'devicePropertyReport');
  await c.subscribe('devicePropertyReport', { productID: 'prodA', deviceName: 'k02' }, { since: seqs[0] - 1 });
  const pong = await c.ping({ fence: 1 });
  assert.equal(pong.type, 'down.pong');
  assert.deepEqual(pong.body, { fence: 1 });
  assert.deepEqual(temps.map(([seq]) => seq), seqs);
});

test('a refused subscription rejects with the error code and is not kept', { skip }, async () => {
  const c = await client('bob'); // bob may read area a1 of p1 only
  await c.connect();

  await assert.rejects(c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'nope' }),
    (e) => e instanceof ThingPushError && e.code === 100009);
  await assert.rejects(c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'd3' }),
    (e) => e instanceof ThingPushError && e.code === 100012);
  await assert.rejects(c.subscribe('deviceSmell', { projectID: 'p1' }),
    (e) => e instanceof ThingPushError && e.code === 100018);
  assert.deepEqual(c.subscriptions(), []);
});

test('a refused connection rejects connect() and does not retry a forbidden project', { skip }, async () => {
  const c = await client('bob', { projectId: 'p2' });
  const closes = [];
  c.on('close', (info) => closes.push(info));

  await assert.rejects(c.connect(), (e) => e instanceof ThingPushError && e.code === 100012);
  assert.equal(closes.length, 1);
  assert.equal(closes[0].code, CLOSE.FORBIDDEN);
  assert.equal(closes[0].reconnectInMs, null);
  assert.equal(c.state, 'closed');
});

test('after a cut link the client reconnects and resumes with since: every event once, in order', { skip }, async () => {
  const link = await proxy(new URL(server.wsUrl).port);
  try {
    const c = await client('alice', {}, link.port);
    const got = collect(c, 'devicePropertyReport');
    await c.connect();
    const firstId = c.connectID;
    // Two overlapping subscriptions: their replays overlap too, yet each event comes once.
    await c.subscribe('devicePropertyReport', { productID: 'prodA', deviceName: 'k02' });
    await c.subscribe('devicePropertyReport', { projectID: 'p2' });
    const recoveryFailed = [];
    c.on('recoveryFailed', (i) => recoveryFailed.push(i));
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await publish(server, 'devicePropertyReport', 'prodA', 'k02', report(i)));
    await until(() => got.length === 5, 5000, 'the pushes before the cut');

    link.cut();
    await next(c, 'close');
    for (let i = 5; i < 15; i++) sent.push(await publish(server, 'devicePropertyReport', 'prodA', 'k02', report(i)));
    link.heal();
    const [opened] = await next(c, 'open');
    for (let i = 15; i < 20; i++) sent.push(await publish(server, 'devicePropertyReport', 'prodA', 'k02', report(i)));

    await until(() => got.length >= 20, 5000, 'twenty pushes');
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate to show up
    assert.equal(opened.resumed, true);
    assert.notEqual(c.connectID, firstId);
    assert.deepEqual(got.map(([seq]) => seq), sent);
    assert.deepEqual(got.map(([, body]) => body.param), [...Array(20).keys()]);
    assert.deepEqual(recoveryFailed, []);
  } finally {
    link.close();
  }
});

test('a subscription that had no push yet resumes from its reply\'s seq: what was sent while the link was down comes once, in order', { skip }, async () => {
  const link = await proxy(new URL(server.wsUrl).port);
  try {
    const c = await client('alice', {}, link.port);
    const got = collect(c, 'deviceConn');
    const recoveryFailed = [];
    c.on('recoveryFailed', (i) => recoveryFailed.push(i));
    await c.connect();
    const conn = (deviceName, status) => publish(server, 'deviceConn', 'prodA', deviceName, { status });
    await c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'k07' });
    const sent = { k07: [await conn('k07', 1)], k08: [] };
    await until(() => got.length === 1, 5000, 'the push of k07');
    await conn('k08', 1); // before k08 was subscribed: never pushed
    const quiet = await c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'k08' });

    link.cut();
    await next(c, 'close');
    for (let i = 0; i < 3; i++) {
      sent.k08.push(await conn('k08', 2));
      sent.k07.push(await conn('k07', 2));
    }
    link.heal();
    await next(c, 'open');
    sent.k08.push(await conn('k08', 1));

    await until(() => got.length >= 8, 5000, 'eight pushes');
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate to show up
    const seqsOf = (device) => got.filter(([, body]) => body.device.deviceName === device).map(([seq]) => seq);
    assert.ok(sent.k08[0] > quiet.seq, 'published after the reply named its seq');
    // Each subscription replays its own events: in order per subscription, each once.
    assert.deepEqual(seqsOf('k08'), sent.k08);
    assert.deepEqual(seqsOf('k07'), sent.k07);
    assert.equal(got.length, 8);
    assert.deepEqual(recoveryFailed, []);
  } finally {
    link.close();
  }
});

test('the heartbeat notices a dead link that never closes, and the client comes back', { skip }, async () => {
  const link = await proxy(new URL(server.wsUrl).port);
  try {
    const c = await client('alice', { heartbeatMs: 300, heartbeatTimeoutMs: 300 }, link.port);
    const got = collect(c, 'deviceConn');
    await c.connect();
    await c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'k03' });
    await publish(server, 'deviceConn', 'prodA', 'k03', { status: 1 });
    await until(() => got.length === 1, 5000, 'the push before the freeze');

    link.freeze();
    const [closed] = await next(c, 'close', 5000);
    assert.equal(closed.code, CLOSE.ABNORMAL);
    assert.match(closed.reason, /heartbeat/);
    const seq = await publish(server, 'deviceConn', 'prodA', 'k03', { status: 2 });
    link.heal();
    await next(c, 'open', 5000);

    await until(() => got.length === 2, 5000, 'the event sent while the link was dead');
    assert.equal(got[1][0], seq);
    assert.equal(got[1][1].status, 2);
  } finally {
    link.close();
  }
});

test('a token about to expire is refreshed in place; the connection stays the same', { skip }, async () => {
  let refreshed = 0;
  // The client refreshes by its own clock half a second in; the server's clock is then moved past the expiry.
  const first = await token('alice', 30_000);
  const c = new ThingPushClient({
    url: server.wsUrl, token: first, appCode: server.appCode, refreshBeforeMs: 29_500,
    refreshToken: async () => { refreshed++; return token('alice'); },
  });
  clients.push(c);
  const closes = [];
  c.on('close', (i) => closes.push(i));
  await c.connect();
  const id = c.connectID;
  const got = collect(c, 'deviceConn');
  await c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'k04' });

  await until(() => refreshed === 1 && c.token !== first, 5000, 'the refresh');
  await c.ping(); // answered after the refresh's up.setHandle: the server holds the new token
  await advance(30_000); // past the first token's exp
  await publish(server, 'deviceConn', 'prodA', 'k04', { status: 1 });
  await until(() => got.length === 1, 5000, 'a push after the first token expired');
  assert.equal(c.connectID, id);
  assert.deepEqual(closes, []);
});

test('an expired token closes with 4001 and tokenExpired; a new token from the app resumes', { skip }, async () => {
  const c = new ThingPushClient({ url: server.wsUrl, token: await token('alice', 30_000), appCode: server.appCode });
  clients.push(c);
  const got = collect(c, 'deviceConn');
  await c.connect();
  await c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'k05' });
  await publish(server, 'deviceConn', 'prodA', 'k05', { status: 1 });
  await until(() => got.length === 1, 5000, 'the first push');

  const expiring = next(c, 'tokenExpired', 5000);
  await advance(30_000);
  const [expired] = await expiring;
  assert.equal(expired.code, CLOSE.TOKEN);
  await until(() => c.state === 'closed', 2000, 'the client to stop');
  const seq = await publish(server, 'deviceConn', 'prodA', 'k05', { status: 2 });
  const opened = next(c, 'open');
  await c.setToken(await token('alice'));

  assert.equal((await opened)[0].resumed, true);
  await until(() => got.length === 2, 5000, 'the event sent while closed');
  assert.equal(got[1][0], seq);
});

test('after a server restart the client reconnects, resubscribes, says history may have a gap, and goes on', { skip }, async () => {
  const c = await client('alice');
  const got = collect(c, 'deviceConn');
  const states = [];
  c.on('state', (s) => states.push(s));
  const closes = [];
  c.on('close', (i) => closes.push(i));
  await c.connect();
  await c.subscribe('deviceConn', { projectID: 'p2' });
  const before = await publish(server, 'deviceConn', 'prodA', 'k06', { status: 1 });
  await until(() => got.length === 1, 5000, 'the push before the restart');

  const gap = next(c, 'recoveryFailed', 15_000);
  await restart(500);
  const [failed] = await gap;
  const afterSeq = await publish(server, 'deviceConn', 'prodA', 'k06', { status: 2 });

  await until(() => got.length === 2, 5000, 'the push after the restart');
  assert.equal(closes[0].code, CLOSE.SHUTDOWN);
  assert.ok(closes[0].reconnectInMs >= 0);
  assert.deepEqual(failed.params, { projectID: 'p2' });
  assert.equal(failed.since, before);
  assert.ok(afterSeq > before, 'seq keeps growing across the restart');
  assert.deepEqual(got.map(([s]) => s), [before, afterSeq]);
  assert.ok(states.includes('reconnecting'));
  assert.equal(c.state, 'open');
});

test('over Server-Sent Events: subscribe, typed pushes, a new subscription reopens the stream where each one was, unsubscribe', { skip }, async () => {
  const c = await client('alice', { transport: 'sse' });
  const opens = [];
  c.on('open', (o) => opens.push(o));
  const hello = await c.connect();
  assert.equal(hello.code, 200);
  assert.equal(opens[0].transport, 'sse');
  const temps = collect(c, 'devicePropertyReport');
  const conns = collect(c, 'deviceConn');

  const reply = await c.subscribe('devicePropertyReport', { productID: 'prodA', deviceName: 'k09', identifier: 'temp' });
  assert.equal(reply.code, 200);
  const sent = [await publish(server, 'devicePropertyReport', 'prodA', 'k09', report(1))];
  await until(() => temps.length === 1, 5000, 'the first push');
  // The stream is opened again with both; the first resumes where it was: nothing missed, nothing twice.
  const second = c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'k09' });
  sent.push(await publish(server, 'devicePropertyReport', 'prodA', 'k09', report(2)));
  await second;
  sent.push(await publish(server, 'devicePropertyReport', 'prodA', 'k09', report(3)));
  await publish(server, 'deviceConn', 'prodA', 'k09', { status: 1 });
  await until(() => temps.length >= 3 && conns.length === 1, 5000, 'pushes of both');
  await c.unsubscribe('devicePropertyReport', { productID: 'prodA', deviceName: 'k09', identifier: 'temp' });
  await publish(server, 'devicePropertyReport', 'prodA', 'k09', report(4));
  await publish(server, 'deviceConn', 'prodA', 'k09', { status: 2 });
  await until(() => conns.length === 2, 5000, 'the second deviceConn push');
  assert.deepEqual(temps.map(([seq]) => seq), sent);
  assert.deepEqual(temps.map(([, body]) => body.param), [1, 2, 3]);
  assert.equal(c.transport, 'sse');
});

test('over Server-Sent Events a cut link resumes with since: every event once, in order', { skip }, async () => {
  const link = await proxy(new URL(server.wsUrl).port);
  try {
    const c = await client('alice', { transport: 'sse' }, link.port);
    const got = collect(c, 'devicePropertyReport');
    await c.connect();
    await c.subscribe('devicePropertyReport', { productID: 'prodA', deviceName: 'k10' });
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await publish(server, 'devicePropertyReport', 'prodA', 'k10', report(i)));
    await until(() => got.length === 3, 5000, 'the pushes before the cut');

    link.cut();
    await next(c, 'close');
    for (let i = 3; i < 8; i++) sent.push(await publish(server, 'devicePropertyReport', 'prodA', 'k10', report(i)));
    link.heal();
    const [opened] = await next(c, 'open');
    sent.push(await publish(server, 'devicePropertyReport', 'prodA', 'k10', report(8)));
    await until(() => got.length >= 9, 5000, 'nine pushes');
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate to show up
    assert.equal(opened.resumed, true);
    assert.deepEqual(got.map(([seq]) => seq), sent);
  } finally {
    link.close();
  }
});

test('transport auto falls back to Server-Sent Events when the WebSocket cannot open', { skip }, async () => {
  const link = await noUpgradeProxy(new URL(server.wsUrl).port);
  try {
    const c = await client('alice', {}, link.port);
    const got = collect(c, 'deviceConn');
    await c.connect();
    assert.equal(c.transport, 'sse');
    await c.subscribe('deviceConn', { productID: 'prodA', deviceName: 'k11' });
    const seq = await publish(server, 'deviceConn', 'prodA', 'k11', { status: 1 });
    await until(() => got.length === 1, 5000, 'the push');
    assert.equal(got[0][0], seq);
  } finally {
    link.close();
  }
});

test('a refused stream rejects connect() with the refusal\'s code and does not retry a forbidden project', { skip }, async () => {
  const c = await client('bob', { projectId: 'p2', transport: 'sse' });
  const closes = [];
  c.on('close', (info) => closes.push(info));
  await assert.rejects(c.connect(), (e) => e instanceof ThingPushError && e.code === 100012);
  assert.equal(closes.length, 1);
  assert.equal(closes[0].code, CLOSE.FORBIDDEN);
  assert.equal(c.state, 'closed');
});
