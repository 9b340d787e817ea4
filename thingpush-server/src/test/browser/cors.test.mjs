// Cross-origin calls to the HTTP APIs from pages in a real browser (Debian's Chromium, headless),
// run by CorsBrowserTest: a page of an origin listed in http.corsAllowedOrigins publishes an event
// (a preflighted request: Authorization and a JSON Content-Type), a page of another origin cannot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const API = process.env.THINGPUSH_HTTP;
const skip = API ? false : 'THINGPUSH_HTTP not set: run through `./test` (CorsBrowserTest)';
const KEY = process.env.PUBLISH_KEY;
const ALLOWED = Number(process.env.ALLOWED_PORT);
const OTHER = Number(process.env.OTHER_PORT);

let pages = [];
let context;
let profile;

before(async () => {
  if (skip) return;
  for (const port of [ALLOWED, OTHER]) {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>a page of another origin</title>');
    });
    await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
    pages.push(server);
  }
  profile = mkdtempSync(join(tmpdir(), 'thingpush-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  for (const server of pages) server.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Runs a fetch of the publish API in a page of http://127.0.0.1:port: its answer, or the error the page saw. */
async function publishFrom(port) {
  const page = await context.newPage();
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    return await page.evaluate(async ({ api, key }) => {
      try {
        const r = await fetch(api + '/api/v1/push/publish', {
          method: 'POST',
          headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' },
          body: JSON.stringify({ code: 'deviceConn', device: { productID: 'prodA', deviceName: 'd1' },
            payload: { status: 1 } }),
        });
        return { status: r.status, body: await r.json() };
      } catch (e) {
        return { error: String(e) };
      }
    }, { api: API, key: KEY });
  } finally {
    await page.close();
  }
}

test('a page of an allowed origin publishes through the API', { skip }, async () => {
  const r = await publishFrom(ALLOWED);
  assert.equal(r.status, 200, JSON.stringify(r));
  assert.equal(r.body.code, 200);
  assert.equal(typeof r.body.seq, 'number');
});

test('a page of another origin cannot', { skip }, async () => {
  const r = await publishFrom(OTHER);
  assert.match(r.error ?? '', /Failed to fetch/, JSON.stringify(r));
});

test('a page of an allowed origin imports the JavaScript client from the server', { skip }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`http://127.0.0.1:${ALLOWED}/`);
    const type = await page.evaluate(async (api) => typeof (await import(api + '/console/thingpush.js')).ThingPushClient, API);
    assert.equal(type, 'function');
  } finally {
    await page.close();
  }
});
