// One live line chart per numeric property (uPlot, served from its WebJar), a series per device.
const MAX_POINTS = 300;
const COLORS = ['#1f6feb', '#d1495b', '#2a9d8f', '#e9a23b', '#7b2cbf', '#3a86ff', '#6a994e', '#bc4749'];

export class LiveCharts {
  constructor(container, propertyInfo) {
    this.container = container;
    this.propertyInfo = propertyInfo; // (productID, identifier) -> {name, unit, type} or undefined
    this.charts = new Map();          // identifier -> chart state
    this.pending = false;
  }

  /** A numeric value of `identifier` reported by `device` at `ms`. */
  add(device, identifier, value, ms) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    const chart = this.charts.get(identifier) ?? this._create(device.productID, identifier);
    const name = `${device.productID}/${device.deviceName}`;
    if (!chart.series.includes(name)) {
      chart.series.push(name);
      chart.plot.addSeries({ label: name, stroke: COLORS[(chart.series.length - 1) % COLORS.length], width: 2, spanGaps: true, points: { size: 4 } });
    }
    chart.points.push([ms / 1000, chart.series.indexOf(name), value]);
    if (chart.points.length > MAX_POINTS) chart.points.splice(0, chart.points.length - MAX_POINTS);
    this._redrawSoon();
  }

  _create(productID, identifier) {
    if (this.charts.size === 0) this.container.textContent = '';
    const info = this.propertyInfo(productID, identifier) ?? {};
    const box = document.createElement('div');
    box.className = 'chart';
    box.dataset.identifier = identifier;
    box.dataset.points = '0';
    const title = document.createElement('h3');
    title.textContent = info.name ? `${info.name} ` : identifier;
    if (info.name) title.append(Object.assign(document.createElement('span'), { textContent: `${identifier}${info.unit ? ' · ' + info.unit : ''}` }));
    box.append(title);
    this.container.append(box);
    const width = Math.max(320, box.clientWidth || 440);
    const plot = new uPlot({
      width, height: 200,
      series: [{}],
      axes: [{}, { size: 50 }],
      scales: { x: { time: true } },
      legend: { live: false },
    }, [[]], box);
    const chart = { box, plot, series: [], points: [] };
    this.charts.set(identifier, chart);
    return chart;
  }

  _redrawSoon() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      for (const chart of this.charts.values()) this._redraw(chart);
    });
  }

  /** uPlot wants one x array and aligned y arrays: one row per point, null where a device has none. */
  _redraw(chart) {
    const rows = [...chart.points].sort((a, b) => a[0] - b[0]);
    const xs = rows.map((r) => r[0]);
    const ys = chart.series.map((_, i) => rows.map((r) => (r[1] === i ? r[2] : null)));
    chart.plot.setData([xs, ...ys]);
    chart.box.dataset.points = String(rows.length);
  }
}
