'use strict';
// FrameFlow camera view: the live picture with its zones and lines and their counts, the zone
// editor (draw lines and zones with the mouse, save = publish the camera's settings document),
// the event timeline with a snapshot per event, and the persons chart.
window.FFDetail = (() => {
  const { enc, el, fmt1, fmtMs } = window.FF;
  const TIMELINE_MS = 2000;
  const SETTINGS_MS = 3000;
  const CLOSE_ZONE = 0.03; // a click this near the first corner closes the zone

  const video = document.getElementById('detail-video');
  const frame = video.parentElement;
  const canvas = document.getElementById('chart');
  const status = document.getElementById('edit-status');
  const timeline = document.getElementById('timeline');
  const typeFilter = document.getElementById('filter-type');
  const nameFilter = document.getElementById('filter-name');
  let camera = null;
  let tile = null;
  let settings = null; // {document, defaults, editing}
  let draft = null; // {lines, zones} while editing, else null
  let drawing = null; // {kind: 'line'|'zone', points: [[x, y]]}
  let timers = [];
  let lastHistoryAt = 0;

  function open(id, t) {
    camera = id;
    tile = t || null;
    draft = null;
    drawing = null;
    settings = null;
    timeline.replaceChildren();
    document.getElementById('detail').dataset.camera = id;
    document.getElementById('detail-camera').textContent = id;
    video.removeAttribute('src');
    video.dataset.frames = '0';
    status.textContent = '';
    lastHistoryAt = 0;
    loadSettings();
    loadEvents();
    timers = [setInterval(loadEvents, TIMELINE_MS), setInterval(() => { if (!draft) loadSettings(); }, SETTINGS_MS)];
    renderEditor();
  }

  function close() {
    timers.forEach(clearInterval);
    timers = [];
    camera = null;
    video.removeAttribute('src');
  }

  function frameIn(jpeg) { window.FF.show(video, jpeg); }

  function update(t, editing) {
    tile = t || tile;
    const stats = tile && tile.info ? tile.info.stats : null;
    document.getElementById('detail-numbers').textContent = numbersText(stats);
    document.getElementById('editor').dataset.editing = String(Boolean(editing));
    redraw();
    if (Date.now() - lastHistoryAt > 2000) {
      lastHistoryAt = Date.now();
      fetch('api/history/' + enc(camera), { cache: 'no-store' })
        .then((r) => (r.ok ? r.json() : { points: [] }))
        .then((h) => drawChart(h.points))
        .catch(() => {});
    }
  }

  function numbersText(stats) {
    if (!stats) return 'waiting for stats';
    return fmt1(stats.fps) + ' fps · p95 ' + (stats.latencyMs ? fmtMs(stats.latencyMs.p95) : '–');
  }

  async function loadSettings() {
    const id = camera;
    try {
      const r = await fetch('api/settings/' + enc(id), { cache: 'no-store' });
      if (r.ok && id === camera) { settings = await r.json(); redraw(); fillNameFilter(); }
    } catch (e) { /* next time */ }
  }

  function shown() { return draft || window.FF.geometry(settings); }

  function redraw() {
    if (camera === null) return;
    window.FF.drawOverlay(frame, shown(), tile ? tile.info : null, drawing ? drawing.points : null);
    frame.classList.toggle('drawing', drawing !== null);
  }

  // ---- zone editor -----------------------------------------------------------------------------
  function startDrawing(kind) {
    if (!draft) draft = JSON.parse(JSON.stringify(window.FF.geometry(settings)));
    drawing = { kind, points: [] };
    status.textContent = kind === 'line'
      ? 'click the line\'s two ends on the picture'
      : 'click the zone\'s corners; click the first corner again (or "finish zone") to close it';
    redraw();
  }

  function pointAt(e) {
    const r = video.getBoundingClientRect();
    const round = (v) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;
    return [round((e.clientX - r.left) / r.width), round((e.clientY - r.top) / r.height)];
  }

  function uniqueName(kind) {
    const wanted = document.getElementById('shape-name').value.trim();
    const taken = new Set([...draft.lines, ...draft.zones].map((s) => s.name));
    if (wanted && !taken.has(wanted)) return wanted;
    if (wanted) { status.textContent = 'the name "' + wanted + '" is taken; pick another'; return null; }
    for (let i = 1; ; i++) if (!taken.has(kind + '-' + i)) return kind + '-' + i;
  }

  function onPictureClick(e) {
    if (!drawing) return;
    e.preventDefault();
    e.stopPropagation();
    const p = pointAt(e);
    const pts = drawing.points;
    if (drawing.kind === 'zone' && pts.length >= 3 && Math.hypot(p[0] - pts[0][0], p[1] - pts[0][1]) < CLOSE_ZONE) {
      finishZone();
      return;
    }
    pts.push(p);
    if (drawing.kind === 'line' && pts.length === 2) {
      const name = uniqueName('line');
      if (name === null) { pts.pop(); return; }
      draft.lines.push({ name, points: pts });
      drawing = null;
      status.textContent = 'line "' + name + '" drawn; save to publish it';
      renderEditor();
    }
    redraw();
  }

  function finishZone() {
    if (!drawing || drawing.kind !== 'zone' || drawing.points.length < 3) {
      status.textContent = 'a zone needs at least three corners';
      return;
    }
    const name = uniqueName('zone');
    if (name === null) return;
    const zone = { name, polygon: drawing.points };
    const loiter = Number(document.getElementById('loiter').value);
    if (loiter > 0) zone.loiterSeconds = loiter;
    draft.zones.push(zone);
    drawing = null;
    status.textContent = 'zone "' + name + '" drawn; save to publish it';
    renderEditor();
    redraw();
  }

  function renderEditor() {
    const list = document.getElementById('shapes');
    list.replaceChildren();
    const geo = shown();
    for (const [kind, items] of [['line', geo.lines], ['zone', geo.zones]]) {
      for (const s of items) {
        const li = el('li', kind, kind + ' ' + s.name + (s.loiterSeconds ? ' (loiter ' + s.loiterSeconds + ' s)' : ''));
        li.dataset.name = s.name;
        const rm = el('button', 'remove', '×');
        rm.type = 'button';
        rm.title = 'remove ' + s.name;
        rm.addEventListener('click', () => {
          if (!draft) draft = JSON.parse(JSON.stringify(window.FF.geometry(settings)));
          draft.lines = draft.lines.filter((x) => x.name !== s.name);
          draft.zones = draft.zones.filter((x) => x.name !== s.name);
          status.textContent = kind + ' "' + s.name + '" removed; save to publish';
          renderEditor();
          redraw();
        });
        li.append(rm);
        list.append(li);
      }
    }
    document.getElementById('save').disabled = draft === null;
    document.getElementById('discard').disabled = draft === null;
  }

  async function save() {
    if (!draft) return;
    const doc = JSON.parse(JSON.stringify((settings && settings.document) || {}));
    doc.lines = draft.lines;
    doc.zones = draft.zones;
    const tokenInput = document.getElementById('token');
    const token = tokenInput.value || window.FF.token();
    status.textContent = 'saving…';
    try {
      const r = await fetch('api/settings/' + enc(camera), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-FrameFlow-Token': token },
        body: JSON.stringify(doc),
      });
      const text = await r.text();
      if (!r.ok) { status.textContent = 'not saved: ' + text.trim(); return; }
      const answer = JSON.parse(text);
      settings = Object.assign({}, settings, { document: answer.document });
      draft = null;
      drawing = null;
      status.textContent = 'saved (settings offset ' + answer.offset + '); the job applies it within seconds';
      renderEditor();
      redraw();
    } catch (e) {
      status.textContent = 'not saved: ' + e.message;
    }
  }

  function discard() {
    draft = null;
    drawing = null;
    status.textContent = 'changes discarded';
    renderEditor();
    redraw();
  }

  // ---- event timeline --------------------------------------------------------------------------
  function fillNameFilter() {
    const names = new Set([...shown().lines, ...shown().zones].map((s) => s.name));
    for (const o of nameFilter.options) names.delete(o.value);
    for (const n of [...names].sort()) {
      const o = el('option', '', n);
      o.value = n;
      nameFilter.append(o);
    }
  }

  async function loadEvents() {
    const id = camera;
    if (id === null) return;
    const q = 'type=' + enc(typeFilter.value) + '&name=' + enc(nameFilter.value) + '&limit=50';
    try {
      const r = await fetch('api/events/' + enc(id) + '?' + q, { cache: 'no-store' });
      if (!r.ok || id !== camera) return;
      renderEvents(id, (await r.json()).events);
    } catch (e) { /* next time */ }
  }

  function describe(e) {
    const what = e.type === 'line-cross' ? 'crossed ' + e.name + ' (' + e.direction + ')'
      : e.type === 'zone-enter' ? 'entered ' + e.name
        : e.type === 'zone-exit' ? 'left ' + e.name + ' after ' + (e.dwellMs / 1000).toFixed(1) + ' s'
          : 'loitering in ' + e.name + ' for ' + (e.dwellMs / 1000).toFixed(0) + ' s';
    return e.label + ' #' + e.trackId + ' ' + what;
  }

  function renderEvents(id, events) {
    const have = new Map([...timeline.children].map((li) => [li.dataset.id, li]));
    const wanted = events.map((e) => String(e.id));
    for (const [key, li] of have) if (!wanted.includes(key)) li.remove();
    events.forEach((e, i) => {
      let li = have.get(String(e.id));
      if (!li) {
        li = el('li', 'event');
        li.dataset.id = e.id;
        li.dataset.type = e.type;
        li.dataset.name = e.name;
        li.dataset.track = e.trackId;
        const text = el('div', 'what');
        text.append(el('time', '', new Date(e.captureTs).toLocaleTimeString()), el('span', 'text', describe(e)));
        li.append(text);
        if (!names().has(e.name)) fillNameFilter();
      }
      const snap = li.querySelector('img.snap');
      if (e.snapshot && !snap) {
        const img = el('img', 'snap');
        img.alt = 'snapshot of ' + e.type + ' ' + e.name;
        img.src = 'api/snapshot/' + enc(id) + '/' + e.id;
        li.prepend(img);
      }
      if (timeline.children[i] !== li) timeline.insertBefore(li, timeline.children[i] || null);
    });
    document.getElementById('timeline-empty').hidden = events.length > 0;
  }

  function names() { return new Set([...nameFilter.options].map((o) => o.value)); }

  // ---- persons chart ---------------------------------------------------------------------------
  function drawChart(points) {
    const yMax = Math.max(1, ...(points || []).map((p) => p.max));
    const c = window.FF.chartFrame(canvas, points, yMax);
    if (!c) return;
    const { g, pad, pw, y } = c;
    const t0 = points[0].windowEnd, t1 = Math.max(points[points.length - 1].windowEnd, t0 + 1);
    const x = (t) => pad.l + ((t - t0) / (t1 - t0)) * pw;
    const minutes = Math.max(1, Math.round((t1 - t0) / 60000));
    document.getElementById('chart-span').textContent = minutes + (minutes === 1 ? ' minute' : ' minutes');
    g.fillStyle = '#ffb547';
    for (const p of points) { g.beginPath(); g.arc(x(p.windowEnd), y(p.max), 2, 0, 2 * Math.PI); g.fill(); }
    g.strokeStyle = '#4fb3ff';
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => (i ? g.lineTo(x(p.windowEnd), y(p.avg)) : g.moveTo(x(p.windowEnd), y(p.avg))));
    g.stroke();
  }

  frame.addEventListener('click', onPictureClick);
  document.getElementById('draw-line').addEventListener('click', () => startDrawing('line'));
  document.getElementById('draw-zone').addEventListener('click', () => startDrawing('zone'));
  document.getElementById('finish-zone').addEventListener('click', finishZone);
  document.getElementById('save').addEventListener('click', save);
  document.getElementById('discard').addEventListener('click', discard);
  document.getElementById('back').addEventListener('click', () => { location.hash = ''; });
  typeFilter.addEventListener('change', () => { timeline.replaceChildren(); loadEvents(); });
  nameFilter.addEventListener('change', () => { timeline.replaceChildren(); loadEvents(); });
  document.getElementById('token').value = window.FF.token();

  return { open, close, frame: frameIn, update };
})();
