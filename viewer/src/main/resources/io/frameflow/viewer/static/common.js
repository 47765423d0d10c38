'use strict';
// FrameFlow viewer: helpers shared by the grid (app.js) and the camera view (detail.js): DOM
// helpers, the access token, the one connection that carries every visible camera's frames, and
// the overlay that draws a camera's zones and lines with their live counts.
window.FF = (() => {
  const enc = encodeURIComponent;
  const SVG = 'http://www.w3.org/2000/svg';

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  // The job writes null for numbers it could not compute (a window without frames).
  const known = (x) => x !== null && x !== undefined && Number.isFinite(Number(x));
  const fmt1 = (x) => (known(x) ? Number(x).toFixed(1) : '–');
  const fmtMs = (x) => (known(x) ? Math.round(Number(x)) + ' ms' : '–');

  // The token the page was opened with (?token=…), kept for this tab so that saving settings can
  // send it in a header; the cookie the server sets is HttpOnly and never readable here.
  function token() {
    const fromUrl = new URLSearchParams(location.search).get('token');
    if (fromUrl) sessionStorage.setItem('frameflow-token', fromUrl);
    return fromUrl || sessionStorage.getItem('frameflow-token') || '';
  }

  // Shows JPEG bytes in an <img>; while one is still decoding, only the newest waits.
  function show(img, bytes) {
    if (img.ffBusy) { img.ffNext = bytes; return; }
    img.ffBusy = true;
    const url = URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' }));
    img.onload = img.onerror = () => {
      URL.revokeObjectURL(url);
      img.ffBusy = false;
      if (img.naturalWidth) img.style.aspectRatio = img.naturalWidth + ' / ' + img.naturalHeight;
      const next = img.ffNext;
      img.ffNext = null;
      if (next) show(img, next);
    };
    img.src = url;
    img.dataset.frames = String(Number(img.dataset.frames || 0) + 1);
  }

  // One streamed response for many cameras (GET live?cameras=a,b): browsers allow six HTTP/1.1
  // connections per host, one per tile would leave most tiles frozen. See LiveFrames.java.
  class Live {
    constructor(onFrame) { this.onFrame = onFrame; this.key = ''; this.ctrl = null; }

    watch(ids) {
      const key = ids.map(enc).join(',');
      if (key === this.key) return;
      this.key = key;
      this.restart();
    }

    restart() {
      if (this.ctrl) this.ctrl.abort();
      this.ctrl = null;
      if (this.key) this.run(new AbortController());
    }

    async run(ctrl) {
      this.ctrl = ctrl;
      try {
        const r = await fetch('live?cameras=' + this.key, { signal: ctrl.signal, cache: 'no-store' });
        if (!r.ok) throw new Error('HTTP ' + r.status);
        await this.read(r.body.getReader());
      } catch (e) {
        if (ctrl.signal.aborted) return;
      }
      // the server went away or cut us: try again shortly
      setTimeout(() => { if (this.ctrl === ctrl) this.restart(); }, 1000);
    }

    async read(reader) {
      const text = new TextDecoder();
      let buf = new Uint8Array(0);
      let head = null;
      let preamble = true;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const joined = new Uint8Array(buf.length + value.length);
        joined.set(buf);
        joined.set(value, buf.length);
        buf = joined;
        for (;;) {
          if (!head) {
            const nl = buf.indexOf(10);
            if (nl < 0) break;
            const line = text.decode(buf.subarray(0, nl));
            buf = buf.subarray(nl + 1);
            if (preamble) { preamble = false; continue; }
            const [cam, seq, ts, len] = line.split(' ');
            head = { camera: decodeURIComponent(cam), seq: Number(seq), ts: Number(ts), len: Number(len) };
          }
          if (buf.length < head.len) break;
          const jpeg = buf.slice(0, head.len);
          buf = buf.subarray(head.len);
          if (head.camera !== '-') this.onFrame(head.camera, jpeg, head);
          head = null;
        }
      }
    }
  }

  // The zones and lines a camera uses: its own document's, else the defaults' (as the job does).
  function geometry(settings) {
    const doc = (settings && settings.document) || {};
    const defaults = (settings && settings.defaults) || {};
    return {
      lines: doc.lines || defaults.lines || [],
      zones: doc.zones || defaults.zones || [],
    };
  }

  const pct = (v) => (100 * v).toFixed(3) + '%';

  // Draws zones and lines over a camera's picture. `frame` holds the <img>, an <svg> (viewBox
  // 0..1, stretched to the picture) and a .labels layer for text that must not stretch.
  function drawOverlay(frame, geo, counts, draft) {
    const layer = frame.querySelector('svg.overlay');
    const labels = frame.querySelector('.labels');
    // redrawn only when something changed: the page polls every second
    const key = JSON.stringify([geo, counts && counts.lines, counts && counts.zones, draft]);
    if (frame.ffOverlayKey === key) return;
    frame.ffOverlayKey = key;
    layer.replaceChildren();
    labels.replaceChildren();
    const lineCounts = (counts && counts.lines) || {};
    const zoneCounts = (counts && counts.zones) || {};
    for (const z of geo.zones) {
      const pts = z.polygon.map((p) => p.join(',')).join(' ');
      layer.append(svg('polygon', { points: pts, class: 'zone', 'data-name': z.name,
        'vector-effect': 'non-scaling-stroke' }));
      const c = zoneCounts[z.name] || { occupancy: 0, entries: 0 };
      const cx = Math.min(...z.polygon.map((p) => p[0]));
      const cy = Math.min(...z.polygon.map((p) => p[1]));
      label(labels, cx, cy, 'zone', z.name, z.name + ': ' + c.occupancy + ' inside · ' + c.entries + ' entered'
        + (z.loiterSeconds ? ' · loiter ' + z.loiterSeconds + ' s' : ''));
    }
    for (const l of geo.lines) {
      const [a, b] = l.points;
      layer.append(svg('line', { x1: a[0], y1: a[1], x2: b[0], y2: b[1], class: 'line',
        'data-name': l.name, 'vector-effect': 'non-scaling-stroke' }));
      // "in" is crossing from the line's left to its right (docs/camera-settings.md): the arrow
      // points to the right-hand side of a -> b, which in y-down pictures is (-dy, dx)
      const mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
      const dx = b[0] - a[0], dy = b[1] - a[1];
      const n = Math.hypot(dx, dy) || 1;
      layer.append(svg('line', { x1: mx, y1: my, x2: mx - (dy / n) * 0.05, y2: my + (dx / n) * 0.05,
        class: 'in-arrow', 'vector-effect': 'non-scaling-stroke' }));
      const c = lineCounts[l.name] || { in: 0, out: 0 };
      label(labels, mx, my, 'line', l.name, l.name + ': in ' + c.in + ' · out ' + c.out);
    }
    if (draft && draft.length) {
      layer.append(svg('polyline', { points: draft.map((p) => p.join(',')).join(' '), class: 'draft',
        'vector-effect': 'non-scaling-stroke' }));
    }
  }

  function label(labels, x, y, kind, name, text) {
    const t = el('span', 'label ' + kind, text);
    t.dataset.name = name;
    t.style.left = pct(Math.min(0.8, Math.max(0, x)));
    t.style.top = pct(Math.min(0.95, Math.max(0, y)));
    labels.append(t);
  }

  // A picture with its overlay: <div class="frame"><img><svg class="overlay"><div class="labels">
  function frameBox(imgClass, imgId) {
    const box = el('div', 'frame');
    const img = el('img', imgClass);
    if (imgId) img.id = imgId;
    const layer = svg('svg', { class: 'overlay', viewBox: '0 0 1 1', preserveAspectRatio: 'none' });
    box.append(img, layer, el('div', 'labels'));
    return { box, img, layer };
  }

  // A chart's canvas at the screen's pixel density with its frame drawn: horizontal grid lines with
  // their values up to yMax, the first and last window's times below. Null (and a note drawn) for
  // no points. points: [{windowEnd}], oldest first.
  function chartFrame(canvas, points, yMax) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const pad = { l: 34, r: 10, t: 10, b: 22 };
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#8c96a3';
    if (!points || points.length === 0) {
      g.fillText('no windows yet', pad.l, pad.t + ph / 2);
      return null;
    }
    const y = (v) => pad.t + ph - (v / yMax) * ph;
    g.strokeStyle = '#2c333d';
    g.lineWidth = 1;
    for (let i = 0; i <= yMax; i += Math.max(1, Math.ceil(yMax / 4))) {
      g.beginPath(); g.moveTo(pad.l, y(i)); g.lineTo(pad.l + pw, y(i)); g.stroke();
      g.fillText(String(i), 8, y(i) + 4);
    }
    g.fillText(new Date(points[0].windowEnd).toLocaleTimeString(), pad.l, h - 6);
    const end = new Date(points[points.length - 1].windowEnd).toLocaleTimeString();
    g.fillText(end, pad.l + pw - g.measureText(end).width, h - 6);
    return { g, pad, pw, ph, y };
  }

  return { enc, el, svg, known, fmt1, fmtMs, token, show, Live, geometry, drawOverlay, frameBox, chartFrame };
})();
