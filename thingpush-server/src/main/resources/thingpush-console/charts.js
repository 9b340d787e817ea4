// Charts of the numeric properties (uPlot, served from its WebJar): one per product and property,
// a line per device, over the last minutes. Points come from the history read when the dashboard
// opens and from live pushes; a point seen twice (the same device, property and timestamp) counts once.
const WINDOW_MS = 10 * 60_000;
const MAX_POINTS = 600;
const COLORS = ['#1f6feb', '#d1495b', '#2a9d8f', '#e9a23b', '#7b2cbf', '#3a86ff', '#6a994e', '#bc4749'];

export class LiveCharts {
  constructor(container) {
    this.container = container;
    this.charts = new Map(); // "product/identifier" -> {box, plot, series: Map(device -> Map(ms -> value))}
    this.pending = false;
  }

  /**
   * Lays out the charts of `products`' numeric properties for `devices`; the points of a device
   * still shown stay.
   */
  show(products, devices) {
    const before = this.charts;
    this.charts = new Map();
    this.container.textContent = '';
    for (const product of products) {
      for (const p of product.properties ?? []) {
        if (p.type === 'int' || p.type === 'float') this._create(product, p);
      }
    }
    if (this.charts.size === 0) this.container.innerHTML = '<p class="hint">No numeric property to chart.</p>';
    const shown = new Set(devices.map((d) => `${d.productID}/${d.deviceName}`));
    for (const [key, chart] of before) {
      chart.plot.destroy();
      const [productID, identifier] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      for (const [name, points] of chart.series) {
        if (!shown.has(name)) continue;
        const device = { productID, deviceName: name.slice(name.indexOf('/') + 1) };
        for (const [ms, value] of points) this.add(device, identifier, value, ms);
      }
    }
  }

  /** A value of `identifier` reported by `device` at `ms`. */
  add(device, identifier, value, ms) {
    const chart = this.charts.get(`${device.productID}/${identifier}`);
    if (!chart || typeof value !== 'number' || !Number.isFinite(value) || !(ms > Date.now() - WINDOW_MS)) return;
    const name = `${device.productID}/${device.deviceName}`;
    let points = chart.series.get(name);
    if (!points) {
      points = new Map();
      chart.series.set(name, points);
      chart.plot.addSeries({ label: name, stroke: COLORS[(chart.series.size - 1) % COLORS.length], width: 2, spanGaps: true,
        points: { size: 4 } });
    }
    points.set(ms, value);
    if (points.size > MAX_POINTS) points.delete(points.keys().next().value);
    this._redrawSoon();
  }

  _create(product, property) {
    const box = document.createElement('div');
    box.className = 'chart';
    box.dataset.product = product.productID;
    box.dataset.identifier = property.identifier;
    box.dataset.points = '0';
    const title = document.createElement('h3');
    title.textContent = `${property.name ?? property.identifier} `;
    title.append(Object.assign(document.createElement('span'), {
      textContent: `${product.name ?? product.productID} · ${property.identifier}${property.unit ? ' · ' + property.unit : ''}`,
    }));
    box.append(title);
    this.container.append(box);
    const plot = new uPlot({
      width: Math.max(320, box.clientWidth || 440), height: 200,
      series: [{}],
      axes: [{}, { size: 50 }],
      scales: { x: { time: true } },
      legend: { live: false },
    }, [[]], box);
    this.charts.set(`${product.productID}/${property.identifier}`, { box, plot, series: new Map() });
  }

  _redrawSoon() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      for (const chart of this.charts.values()) this._redraw(chart);
    });
  }

  /** uPlot wants one x array and aligned y arrays: every timestamp of any line, null where a line has none. */
  _redraw(chart) {
    const cutoff = Date.now() - WINDOW_MS;
    const xs = new Set();
    for (const points of chart.series.values()) {
      for (const ms of points.keys()) if (ms < cutoff) points.delete(ms); else xs.add(ms);
    }
    const sorted = [...xs].sort((a, b) => a - b);
    const ys = [...chart.series.values()].map((points) => sorted.map((ms) => points.get(ms) ?? null));
    chart.plot.setData([sorted.map((ms) => ms / 1000), ...ys]);
    chart.box.dataset.points = String([...chart.series.values()].reduce((n, p) => n + p.size, 0));
    chart.box.dataset.oldest = sorted.length ? String(sorted[0]) : '';
  }
}
