// The client's pure parts: backoff with jitter, subscription keys, token expiry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, subscriptionKey, tokenExpiry } from '../src/thingpush.js';

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
