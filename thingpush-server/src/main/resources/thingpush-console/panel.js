// A device's panel: acting on it — an action call and a property control
// through the HTTP APIs (docs/action-api.md) with the user's own token, each with a form built
// from the thing model, the device's reply shown and every refusal said in words.
import { formatValue } from './latest.js';

/** What each refusal of the action and control APIs means to the person who asked. */
const REFUSALS = {
  400: 'the request was refused',
  401: 'the token was refused',
  403: 'your grants do not cover this device',
  404: 'the device cannot be reached',
  406: 'the thing model refuses these values; nothing was sent to the device',
  413: 'the request is too large',
  503: 'the server cannot take it now; try again',
  504: 'the device did not answer in time',
};

export class DevicePanel {
  /** `token()` gives the user's current token; `onClose()` is called by the panel's ✕. */
  constructor(container, token, onClose) {
    this.container = container;
    this.token = token;
    this.onClose = onClose;
  }

  /** Shows `device` of `product` (null: hides the panel). */
  show(device, product, areaName) {
    this.device = device;
    this.container.hidden = !device;
    this.container.textContent = '';
    if (!device) return;
    this.container.dataset.device = `${device.productID}/${device.deviceName}`;
    const head = document.createElement('div');
    head.className = 'panel-head';
    head.innerHTML = '<h2></h2><span class="where"></span><button type="button" class="close" title="close">✕</button>';
    head.querySelector('h2').textContent = `${device.productID}/${device.deviceName}`;
    head.querySelector('.where').textContent = `${product?.name ?? device.productID} · ${areaName}`;
    head.querySelector('.close').addEventListener('click', () => this.onClose());
    const body = document.createElement('div');
    body.className = 'panel-body';
    body.append(this._actionForm(product?.actions ?? []), this._controlForm(product?.properties ?? []));
    this.container.append(head, body);
  }

  _actionForm(actions) {
    const form = section('Call an action', 'action-form');
    if (actions.length === 0) {
      form.append(hint('The thing model of this product has no action.'));
      return form;
    }
    const select = document.createElement('select');
    select.name = 'action';
    for (const a of actions) select.append(new Option(a.name ? `${a.name} (${a.identifier})` : a.identifier, a.identifier));
    const fields = document.createElement('div');
    const fill = () => {
      fields.textContent = '';
      const action = actions.find((a) => a.identifier === select.value);
      for (const def of action?.input ?? []) fields.append(field(def));
    };
    select.addEventListener('change', fill);
    fill();
    form.append(labelled('Action', select), fields, submit('Call'), reply());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this._send(form, '/api/v1/push/action', (params) => ({ actionID: select.value, params }), false);
    });
    return form;
  }

  _controlForm(properties) {
    const form = section('Set properties', 'control-form');
    if (properties.length === 0) {
      form.append(hint('The thing model of this product has no property.'));
      return form;
    }
    const fields = document.createElement('div');
    for (const def of properties) fields.append(field(def));
    form.append(hint('Fill in the values to set; empty ones are left as they are.'), fields, submit('Set'), reply());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this._send(form, '/api/v1/push/control', (params) => ({ params }), true);
    });
    return form;
  }

  /** Reads the form's values, sends the request and shows the answer. */
  async _send(form, path, body, nonEmpty) {
    const out = form.querySelector('.reply');
    let params;
    try {
      params = values(form);
    } catch (e) {
      show(out, 'refused', e.message);
      return;
    }
    if (nonEmpty && Object.keys(params).length === 0) {
      show(out, 'refused', 'fill in at least one value');
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    show(out, 'pending', 'waiting for the device…');
    try {
      const r = await fetch(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ device: { productID: this.device.productID, deviceName: this.device.deviceName }, ...body(params) }),
      });
      const answer = await r.json();
      if (r.status === 200) {
        const rep = answer.reply ?? {};
        const detail = `${rep.code}${rep.msg ? ' ' + rep.msg : ''}${rep.params ? ' · ' + JSON.stringify(rep.params) : ''}`;
        show(out, rep.code === 200 ? 'ok' : 'device-error',
          rep.code === 200 ? `the device replied ${detail}` : `the device answered, but did not do it: ${detail}`);
      } else {
        show(out, 'refused', `${REFUSALS[r.status] ?? 'refused'} (${r.status}): ${answer.msg}`);
      }
      out.dataset.status = String(r.status);
    } catch (e) {
      show(out, 'refused', `no answer from the server: ${e.message}`);
    } finally {
      button.disabled = false;
    }
  }
}

/** An input for one thing-model definition; the server checks the value, the form only hints. */
function field(def) {
  let input;
  if (def.type === 'bool' || def.type === 'enum') {
    input = document.createElement('select');
    input.append(new Option('', ''));
    const keys = def.type === 'bool' ? ['0', '1'] : Object.keys(def.mapping ?? {});
    for (const k of keys) input.append(new Option(formatValue(def, Number(k)), k));
  } else if (def.type === 'struct' || def.type === 'array') {
    input = document.createElement('textarea');
    input.rows = 2;
    input.placeholder = 'JSON';
  } else {
    input = document.createElement('input');
    input.inputMode = def.type === 'int' || def.type === 'float' || def.type === 'timestamp' ? 'decimal' : 'text';
    const range = def.min !== undefined || def.max !== undefined ? `${def.min ?? ''}…${def.max ?? ''}` : '';
    input.placeholder = [range, def.unit].filter(Boolean).join(' ');
  }
  input.name = def.identifier;
  input.dataset.type = def.type;
  return labelled(`${def.name ?? def.identifier} (${def.identifier})`, input);
}

/** The form's filled-in values, typed as the thing model wants them. */
function values(form) {
  const params = {};
  for (const input of form.querySelectorAll('[data-type]')) {
    const text = input.value.trim();
    if (text === '') continue;
    const type = input.dataset.type;
    if (type === 'string' || type === 'timestamp') params[input.name] = text;
    else if (type === 'struct' || type === 'array') {
      try {
        params[input.name] = JSON.parse(text);
      } catch {
        throw new Error(`${input.name}: not JSON`);
      }
    } else {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new Error(`${input.name}: not a number`);
      params[input.name] = n;
    }
  }
  return params;
}

function section(title, className) {
  const form = document.createElement('form');
  form.className = className;
  form.noValidate = true;
  form.append(Object.assign(document.createElement('h3'), { textContent: title }));
  return form;
}

function labelled(text, input) {
  const label = document.createElement('label');
  label.append(text, input);
  return label;
}

function submit(text) {
  return Object.assign(document.createElement('button'), { type: 'submit', textContent: text });
}

function reply() {
  return Object.assign(document.createElement('p'), { className: 'reply' });
}

function hint(text) {
  return Object.assign(document.createElement('p'), { className: 'hint', textContent: text });
}

function show(out, kind, text) {
  out.dataset.kind = kind;
  out.textContent = text;
}
