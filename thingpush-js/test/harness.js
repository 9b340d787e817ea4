// What the client tests need around a real ThingPush server: the control endpoint of the Java
// test that runs them (THINGPUSH_CONTROL), the publish API, a TCP proxy that can cut or freeze
// the link, and bounded waits.
import http from 'node:http';
import net from 'node:net';

const CONTROL = process.env.THINGPUSH_CONTROL;

export function haveServer() {
  return Boolean(CONTROL);
}

async function control(path, method = 'GET') {
  const r = await fetch(CONTROL + path, { method });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

export const info = () => control('/info');
export const token = async (user, ttlMs = 3_600_000) => (await control(`/token?user=${encodeURIComponent(user)}&ttlMs=${ttlMs}`, 'POST')).token;
export const restart = (downMs = 0) => control(`/restart?downMs=${downMs}`, 'POST');
/** Moves the server's clock forward by `ms`: what falls due then (a token's expiry) has happened when this resolves. */
export const advance = (ms) => control(`/advance?ms=${ms}`, 'POST');

/** Publishes one event through the platform publish API; returns its seq. */
export async function publish(server, code, productID, deviceName, payload) {
  const r = await fetch(server.httpUrl + '/api/v1/push/publish', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + server.publishKey, 'content-type': 'application/json' },
    body: JSON.stringify({ code, device: { productID, deviceName }, payload }),
  });
  const body = await r.json();
  if (r.status !== 200) throw new Error('publish: ' + JSON.stringify(body));
  return body.seq;
}

/** Waits until `check()` is truthy (polling), at most `ms`; returns its value. */
export async function until(check, ms = 10_000, what = 'condition') {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves with the arguments of the next `event` of `client`. */
export function next(client, event, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { off(); reject(new Error(`no ${event} within ${ms} ms`)); }, ms);
    const off = client.on(event, (...args) => { clearTimeout(t); off(); resolve(args); });
  });
}

/**
 * A TCP proxy on a free local port to `target` (host:port). `cut()` drops every link and
 * refuses new ones, `freeze()` keeps links open but passes nothing (a dead network),
 * `heal()` restores normal service on the same port.
 */
export async function proxy(targetPort) {
  const links = new Set();
  let mode = 'pass';
  const server = net.createServer((client) => {
    if (mode !== 'pass') { client.destroy(); return; }
    const upstream = net.connect(targetPort, '127.0.0.1');
    const link = { client, upstream };
    links.add(link);
    const forward = (from, to) => from.on('data', (d) => { if (mode === 'pass') to.write(d); });
    forward(client, upstream);
    forward(upstream, client);
    const drop = () => { links.delete(link); client.destroy(); upstream.destroy(); };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    port,
    cut() {
      mode = 'cut';
      for (const { client, upstream } of links) { client.destroy(); upstream.destroy(); }
    },
    freeze() { mode = 'freeze'; },
    heal() {
      if (mode === 'freeze') {
        for (const { client, upstream } of links) { client.destroy(); upstream.destroy(); }
      }
      mode = 'pass';
    },
    close() {
      mode = 'cut';
      for (const { client, upstream } of links) { client.destroy(); upstream.destroy(); }
      server.close();
    },
  };
}

/**
 * An HTTP proxy on a free local port to `targetPort` that refuses every WebSocket upgrade and
 * passes plain requests (a proxy that strips upgrades): only a stream gets through.
 */
export async function noUpgradeProxy(targetPort) {
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket) => socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
