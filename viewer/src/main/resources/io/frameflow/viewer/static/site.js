'use strict';
// FrameFlow site view: a site's totals per window from frames.sites (all its cameras' lines and
// zones): crossings in and out as bars, zone occupancy (average, and maximum as dots) as a line.
window.FFSite = (() => {
  const { enc, el, fmt1 } = window.FF;
  const POLL_MS = 2000;
  const canvas = document.getElementById('site-chart');
  let site = null;
  let timer = null;

  function open(name) {
    site = name;
    document.getElementById('site-name').textContent = name;
    document.getElementById('site-view').dataset.site = name;
    load();
    timer = setInterval(load, POLL_MS);
  }

  function close() {
    clearInterval(timer);
    timer = null;
    site = null;
  }

  async function load() {
    const name = site;
    try {
      const r = await fetch('api/sites/' + enc(name), { cache: 'no-store' });
      if (name !== site) return;
      if (!r.ok) { document.getElementById('site-numbers').textContent = 'no site totals yet'; draw([]); return; }
      render((await r.json()).points);
    } catch (e) { /* next time */ }
  }

  function render(points) {
    const latest = points[points.length - 1];
    const numbers = document.getElementById('site-numbers');
    if (latest) {
      numbers.textContent = 'last window: in ' + latest.in + ' · out ' + latest.out + ' · occupancy '
        + fmt1(latest.occupancyAvg) + ' (max ' + latest.occupancyMax + ')';
      numbers.dataset.in = latest.in;
      numbers.dataset.out = latest.out;
      numbers.dataset.windowEnd = latest.windowEnd;
      const cams = document.getElementById('site-cameras');
      const key = latest.cameras.join('\n');
      if (cams.dataset.key !== key) {
        cams.dataset.key = key;
        cams.replaceChildren(...latest.cameras.map((c) => {
          const li = el('li');
          const a = el('a', '', c);
          a.href = '#camera=' + enc(c);
          li.append(a);
          return li;
        }));
      }
    }
    draw(points);
  }

  function draw(points) {
    const yMax = Math.max(1, ...points.map((p) => Math.max(p.in, p.out, p.occupancyMax)));
    const c = window.FF.chartFrame(canvas, points, yMax);
    if (!c) return;
    const { g, pad, pw, ph, y } = c;
    const slot = pw / points.length;
    const bw = Math.max(1, slot / 2 - 1);
    points.forEach((p, i) => {
      const x0 = pad.l + i * slot;
      g.fillStyle = '#5ad18a'; // in
      g.fillRect(x0, y(p.in), bw, pad.t + ph - y(p.in));
      g.fillStyle = '#ffb547'; // out
      g.fillRect(x0 + bw, y(p.out), bw, pad.t + ph - y(p.out));
    });
    g.strokeStyle = '#4fb3ff';
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => {
      const x = pad.l + (i + 0.5) * slot;
      if (i) g.lineTo(x, y(p.occupancyAvg)); else g.moveTo(x, y(p.occupancyAvg));
    });
    g.stroke();
    g.lineWidth = 1;
    g.fillStyle = '#4fb3ff';
    points.forEach((p, i) => { g.beginPath(); g.arc(pad.l + (i + 0.5) * slot, y(p.occupancyMax), 2, 0, 2 * Math.PI); g.fill(); });
  }

  return { open, close };
})();
