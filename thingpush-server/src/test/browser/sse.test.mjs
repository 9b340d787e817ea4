// Server-Sent Events in a real browser (Debian's Chromium, headless), run by EventSourceBrowserTest:
// a page's EventSource opens the stream with sub= parameters, receives the connect event, the
// reply and pushes by their event names; when the server drops the stream (an operator closes
// the connection) the browser reconnects by itself with Last-Event-ID and nothing is lost or
// repeated; a refused stream (a bad token) is not retried.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const WS_PORT = process.env.WS_PORT;
const skip = WS_PORT ? false : 'WS_PORT not set: run through `./test` (EventSourceBrowserTest)';
const ORIGIN = `http://127.0.0.1:${WS_PORT}`;
const STREAM = `${ORIGIN}/api/v1/system/common/sse/connect`;
const API = process.env.THINGPUSH_HTTP;
const WAIT = { timeout: 15_000 };

let context;
let profile;
let page;

before(async () => {
  if (skip) return;
  profile = mkdtempSync(join(tmpdir(), 'thingpush-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync'],
  });
  page = await context.newPage();
  // A page of the stream's own origin (the WebSocket port serves no pages): an EventSource there needs no CORS.
  await page.route(`${ORIGIN}/page`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>sse</title>' }));
  await page.goto(`${ORIGIN}/page`);
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function publish(deviceName, status) {
  const r = await fetch(`${API}/api/v1/push/publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.PUBLISH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'deviceConn', device: { productID: 'prodA', deviceName }, payload: { status } }),
  });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text).seq;
}

/** The events the page's stream received so far: [{type, id, data}]. */
const received = () => page.evaluate(() => window.received);
const pushes = async () => (await received()).filter((e) => e.type === 'down.pub').map((e) => e.data.seq);

test('an EventSource gets the connect event, the reply and pushes; it resumes by itself after the server drops it', { skip }, async () => {
  const sub = JSON.stringify({ code: 'deviceConn', params: { productID: 'prodA', deviceName: 'd1' } });
  const url = `${STREAM}?app-code=${process.env.APP}&token=${process.env.TOKEN}&sub=${encodeURIComponent(sub)}`;
  await page.evaluate((url) => {
    window.received = [];
    window.opens = 0;
    const source = new EventSource(url);
    source.onopen = () => { window.opens += 1; };
    for (const type of ['connect', 'down.subRet', 'down.pub', 'close']) {
      source.addEventListener(type, (e) => window.received.push({ type, id: e.lastEventId, data: JSON.parse(e.data) }));
    }
    window.source = source;
  }, url);
  await page.waitForFunction(() => window.received.some((e) => e.type === 'down.subRet'), null, WAIT);
  const first = [await publish('d1', 1), await publish('d1', 2)];
  await page.waitForFunction((n) => window.received.filter((e) => e.type === 'down.pub').length >= n, 2, WAIT);
  const hello = (await received()).find((e) => e.type === 'connect');
  assert.equal(hello.data.code, 200);

  // The server drops the stream; meanwhile events happen; the browser reconnects with Last-Event-ID.
  const closed = await fetch(`${API}/api/v1/admin/connections/${hello.data.handler.connectID}/close`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 4009, reason: 'moving' }),
  });
  assert.equal(closed.status, 200, await closed.text());
  await page.waitForFunction(() => window.received.some((e) => e.type === 'close'), null, WAIT);
  const missed = [await publish('d1', 1), await publish('d1', 2)];
  await page.waitForFunction(() => window.opens >= 2, null, WAIT);
  const live = await publish('d1', 1);
  await page.waitForFunction((seq) => window.received.some((e) => e.type === 'down.pub' && e.data.seq === seq), live, WAIT);

  assert.deepEqual(await pushes(), [...first, ...missed, live], 'each event once, in order, across the drop');
  const replies = (await received()).filter((e) => e.type === 'down.subRet');
  assert.equal(replies.length, 2);
  assert.equal(replies[1].data.recovered, true);
  await page.evaluate(() => window.source.close());
});

test('a refused stream is an HTTP error the browser does not retry', { skip }, async () => {
  const state = await page.evaluate(async (url) => new Promise((resolve) => {
    const source = new EventSource(url);
    source.onerror = () => setTimeout(() => resolve(source.readyState), 500);
  }), `${STREAM}?token=not-a-token`);
  assert.equal(state, 2, 'CLOSED: a 401 ends the EventSource');
});
