'use strict';
// FrameFlow viewer page: polls the camera list, shows one tile per camera and a detail view.
// Browsers open at most 6 connections per host over HTTP/1.1 and every MJPEG stream keeps one
// open, so at most MAX_LIVE tiles stream; the others refresh a snapshot once per poll.
(() => {
  const MAX_LIVE = 4;
  const POLL_MS = 1000;
  const STALE_MS = 5000;

  const grid = document.getElementById('grid');
  const empty = document.getElementById('empty');
  const summary = document.getElementById('summary');
  const detail = document.getElementById('detail');
  const tiles = new Map(); // camera id -> {el, img, live, frames, changedAt, stats}
  let selected = null;
  let lastHistoryAt = 0;

  const enc = encodeURIComponent;
  const streamUrl = (id) => 'stream/' + enc(id);
  const snapshotUrl = (id) => 'api/frame/' + enc(id) + '?t=' + Date.now();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The job writes null for numbers it could not compute (a window without frames).
  const known = (x) => x !== null && x !== undefined && Number.isFinite(Number(x));
  const fmt1 = (x) => (known(x) ? Number(x).toFixed(1) : '–');
  const fmtMs = (x) => (known(x) ? Math.round(Number(x)) + ' ms' : '–');

  function numbersText(stats) {
    if (!stats) return 'waiting for stats';
    const p95 = stats.latencyMs ? fmtMs(stats.latencyMs.p95) : '–';
    return fmt1(stats.fps) + ' fps · p95 ' + p95;
  }

  // One chip per class: "person 1.5 max 3"; the raw numbers stay in data attributes.
  function renderCounts(ul, stats) {
    const key = stats && stats.counts ? JSON.stringify(stats.counts) : '';
    if (ul.dataset.key === key) return; // unchanged: keep the DOM (and any selection) as it is
    ul.dataset.key = key;
    ul.replaceChildren();
    if (!key) return;
    for (const cls of Object.keys(stats.counts).sort()) {
      const c = stats.counts[cls];
      const li = el('li');
      li.dataset.class = cls;
      li.dataset.avg = c.avg;
      li.dataset.max = c.max;
      li.dataset.min = c.min;
      li.append(el('span', 'cls', cls), el('span', 'avg', fmt1(c.avg)), el('span', 'max', 'max ' + c.max));
      ul.append(li);
    }
  }

  function createTile(id) {
    const tile = el('article', 'tile');
    tile.dataset.camera = id;
    tile.tabIndex = 0;
    const img = el('img', 'video');
    img.alt = 'camera ' + id;
    const meta = el('div', 'meta');
    const title = el('div', 'title');
    title.append(el('span', 'cam-id', id), el('span', 'numbers', ''));
    meta.append(title, el('ul', 'counts'));
    tile.append(img, meta);
    const open = () => { location.hash = 'camera=' + enc(id); };
    tile.addEventListener('click', open);
    tile.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    const live = [...tiles.values()].filter((t) => t.live).length < MAX_LIVE;
    const t = { el: tile, img, live, frames: -1, changedAt: Date.now(), stats: null };
    tiles.set(id, t);
    // keep the grid sorted by camera id
    const after = [...grid.children].find((c) => c.dataset.camera > id);
    grid.insertBefore(tile, after || null);
    startVideo(id, t);
    return t;
  }

  function startVideo(id, t) {
    if (selected !== null) return; // the detail view owns the connections
    if (t.live) {
      if (!t.img.src.endsWith(streamUrl(id))) t.img.src = streamUrl(id);
    } else if (t.frames > 0 && !t.loading) {
      t.loading = true;
      t.img.onload = t.img.onerror = () => { t.loading = false; };
      t.img.src = snapshotUrl(id);
    }
  }

  function stopVideo(t) {
    t.img.removeAttribute('src');
    t.loading = false;
  }

  function update(cameras) {
    const now = Date.now();
    for (const c of cameras) {
      const t = tiles.get(c.camera) || createTile(c.camera);
      if (c.frames !== t.frames) { t.frames = c.frames; t.changedAt = now; }
      t.el.classList.toggle('stale', now - t.changedAt > STALE_MS || c.frames === 0);
      t.stats = c.stats;
      t.el.querySelector('.numbers').textContent = numbersText(c.stats);
      renderCounts(t.el.querySelector('.counts'), c.stats);
      if (!t.live) startVideo(c.camera, t);
    }
    empty.hidden = tiles.size > 0;
    summary.textContent = tiles.size + (tiles.size === 1 ? ' camera' : ' cameras');
    if (selected !== null) updateDetail();
  }

  async function poll() {
    try {
      const r = await fetch('api/cameras', { cache: 'no-store' });
      if (r.status === 403) { summary.textContent = 'access denied: open the page with ?token=…'; return; }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      update((await r.json()).cameras);
    } catch (e) {
      summary.textContent = 'viewer unreachable (' + e.message + '), retrying…';
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // ---- detail view -------------------------------------------------------------------------
  const detailVideo = document.getElementById('detail-video');
  const canvas = document.getElementById('chart');

  function route() {
    const m = /^#camera=(.+)$/.exec(location.hash);
    const id = m ? decodeURIComponent(m[1]) : null;
    if (id === selected) return;
    selected = id;
    if (id === null) {
      detailVideo.removeAttribute('src');
      detail.hidden = true;
      grid.hidden = false;
      for (const [cid, t] of tiles) startVideo(cid, t);
      return;
    }
    for (const t of tiles.values()) stopVideo(t);
    grid.hidden = true;
    empty.hidden = true;
    detail.hidden = false;
    detail.dataset.camera = id;
    document.getElementById('detail-camera').textContent = id;
    detailVideo.src = streamUrl(id);
    lastHistoryAt = 0;
    updateDetail();
  }

  function updateDetail() {
    const t = tiles.get(selected);
    const stats = t ? t.stats : null;
    document.getElementById('detail-numbers').textContent = numbersText(stats);
    renderCounts(document.getElementById('detail-counts'), stats);
    if (Date.now() - lastHistoryAt > 2000) {
      lastHistoryAt = Date.now();
      fetch('api/history/' + enc(selected), { cache: 'no-store' })
        .then((r) => (r.ok ? r.json() : { points: [] }))
        .then((h) => drawChart(h.points))
        .catch(() => {});
    }
  }

  function drawChart(points) {
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
      return;
    }
    const t0 = points[0].windowEnd, t1 = Math.max(points[points.length - 1].windowEnd, t0 + 1);
    const yMax = Math.max(1, ...points.map((p) => p.max));
    const x = (t) => pad.l + ((t - t0) / (t1 - t0)) * pw;
    const y = (v) => pad.t + ph - (v / yMax) * ph;
    g.strokeStyle = '#2c333d';
    g.lineWidth = 1;
    for (let i = 0; i <= yMax; i += Math.max(1, Math.ceil(yMax / 4))) {
      g.beginPath(); g.moveTo(pad.l, y(i)); g.lineTo(pad.l + pw, y(i)); g.stroke();
      g.fillText(String(i), 8, y(i) + 4);
    }
    const minutes = Math.max(1, Math.round((t1 - t0) / 60000));
    document.getElementById('chart-span').textContent = minutes + (minutes === 1 ? ' minute' : ' minutes');
    g.fillText(new Date(t0).toLocaleTimeString(), pad.l, h - 6);
    const end = new Date(t1).toLocaleTimeString();
    g.fillText(end, pad.l + pw - g.measureText(end).width, h - 6);
    g.fillStyle = '#ffb547';
    for (const p of points) { g.beginPath(); g.arc(x(p.windowEnd), y(p.max), 2, 0, 2 * Math.PI); g.fill(); }
    g.strokeStyle = '#4fb3ff';
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => (i ? g.lineTo(x(p.windowEnd), y(p.avg)) : g.moveTo(x(p.windowEnd), y(p.avg))));
    g.stroke();
  }

  document.getElementById('back').addEventListener('click', () => { location.hash = ''; });
  window.addEventListener('hashchange', route);
  route();
  poll();
})();
