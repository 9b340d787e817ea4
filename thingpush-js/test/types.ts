// Compiled (not run) by unit.test.js with tsc --strict: the declarations describe the API as apps use it.
import { ThingPushClient, ThingPushError } from '../src/thingpush.js';
const c = new ThingPushClient({ url: 'ws://x', appCode: 'a', token: 't' });
c.on('deviceConn', (body, push) => { const s: 1 | 2 = body.status; const n: number = push.seq; void s; void n; });
c.on('devicePropertyReport', (body) => { const id: string = body.identifier; void id; });
c.on('recoveryFailed', (i) => { void i.since; });
c.on('close', (i) => { const r: number | null | undefined = i.reconnectInMs; void r; });
async function f() {
  await c.connect();
  const r = await c.subscribe('devicePropertyReport', { productID: 'p', deviceName: 'd', identifier: 'temp' }, { throttleMs: 5 });
  void r.recovered;
  const from: number | undefined = r.seq;
  void from;
  await c.subscribe('deviceConn', { projectID: 'p1' });
  await c.subscribe('deviceConn', { projectID: 'p1' }, { filter: 'status == 2' });
  await c.unsubscribe('deviceConn', { projectID: 'p1' }, { filter: 'status == 2' });
  const pong = await c.ping({ t: 1 });
  void pong.body;
  try { await c.unsubscribe('deviceConn', { projectID: 'p1' }); } catch (e) { if (e instanceof ThingPushError) void e.code; }
}
void f;
// @ts-expect-error identifier only for property codes
c.subscribe('deviceConn', { productID: 'p', deviceName: 'd', identifier: 'x' }).catch(() => {});
