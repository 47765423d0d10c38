'use strict';
// FrameFlow viewer page: polls the camera list and shows one tile per camera, a page at a time
// (PAGE_SIZE tiles, optionally one site), every tile live over one connection (FF.Live). A click
// opens the camera view (detail.js).
(() => {
  const { enc, el, fmt1, fmtMs } = window.FF;
  const PAGE_SIZE = 24;
  const POLL_MS = 1000;
  const STALE_MS = 5000;
  const GEOMETRY_MS = 10000;

  const grid = document.getElementById('grid');
  const empty = document.getElementById('empty');
  const summary = document.getElementById('summary');
  const pager = document.getElementById('pager');
  const siteFilter = document.getElementById('site');
  const tiles = new Map(); // camera id -> {el, img, frame, frames, changedAt, info, geo, geoAt}
  let page = 0;
  let selected = null;

  const live = new window.FF.Live((camera, jpeg) => {
    if (selected !== null) {
      if (camera === selected) window.FFDetail.frame(jpeg);
      return;
    }
    const t = tiles.get(camera);
    if (t) window.FF.show(t.img, jpeg);
  });

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
    const f = window.FF.frameBox('video');
    f.img.alt = 'camera ' + id;
    const meta = el('div', 'meta');
    const title = el('div', 'title');
    title.append(el('span', 'cam-id', id), el('span', 'numbers', ''));
    meta.append(title, el('ul', 'counts'));
    tile.append(f.box, meta);
    const open = () => { location.hash = 'camera=' + enc(id); };
    tile.addEventListener('click', open);
    tile.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    const t = { el: tile, img: f.img, frame: f.box, frames: -1, changedAt: Date.now(), info: null, geo: null, geoAt: 0 };
    tiles.set(id, t);
    return t;
  }

  async function refreshGeometry(id, t) {
    t.geoAt = Date.now();
    try {
      const r = await fetch('api/settings/' + enc(id), { cache: 'no-store' });
      if (r.ok) t.geo = window.FF.geometry(await r.json());
    } catch (e) { /* next time */ }
    drawTileOverlay(t);
  }

  function drawTileOverlay(t) {
    if (t.geo) window.FF.drawOverlay(t.frame, t.geo, t.info);
  }

  function visibleIds() {
    const site = siteFilter.value;
    const ids = [...tiles.keys()].filter((id) => !site || (tiles.get(id).info || {}).site === site).sort();
    const pages = Math.max(1, Math.ceil(ids.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    return { ids: ids.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), total: ids.length, pages };
  }

  function layout() {
    const { ids, total, pages } = visibleIds();
    const shown = new Set(ids);
    for (const [id, t] of tiles) {
      if (!shown.has(id) && t.el.parentNode) t.el.remove();
    }
    ids.forEach((id, i) => {
      const t = tiles.get(id);
      if (grid.children[i] !== t.el) grid.insertBefore(t.el, grid.children[i] || null);
    });
    pager.hidden = pages < 2;
    document.getElementById('page-text').textContent = 'page ' + (page + 1) + ' of ' + pages + ' (' + total + ' cameras)';
    if (selected === null) live.watch(ids);
  }

  function updateSites() {
    const sites = [...new Set([...tiles.values()].map((t) => (t.info || {}).site).filter(Boolean))].sort();
    const key = sites.join('\n');
    if (siteFilter.dataset.key === key) return;
    siteFilter.dataset.key = key;
    const current = siteFilter.value;
    siteFilter.replaceChildren(el('option', '', 'all sites'));
    siteFilter.firstChild.value = '';
    for (const s of sites) {
      const o = el('option', '', s);
      o.value = s;
      siteFilter.append(o);
    }
    siteFilter.value = sites.includes(current) ? current : '';
    siteFilter.hidden = sites.length === 0;
    updateSiteLink();
  }

  function update(body) {
    const now = Date.now();
    for (const c of body.cameras) {
      const t = tiles.get(c.camera) || createTile(c.camera);
      if (c.frames !== t.frames) { t.frames = c.frames; t.changedAt = now; }
      t.el.classList.toggle('stale', now - t.changedAt > STALE_MS || c.frames === 0);
      t.info = c;
      t.el.querySelector('.numbers').textContent = numbersText(c.stats);
      renderCounts(t.el.querySelector('.counts'), c.stats);
      if (t.el.parentNode && now - t.geoAt > GEOMETRY_MS) refreshGeometry(c.camera, t);
      else drawTileOverlay(t);
    }
    updateSites();
    layout();
    empty.hidden = tiles.size > 0 || selected !== null || shownSite !== null;
    summary.textContent = tiles.size + (tiles.size === 1 ? ' camera' : ' cameras');
    if (selected !== null) window.FFDetail.update(tiles.get(selected), body.editing);
  }

  async function poll() {
    try {
      const r = await fetch('api/cameras', { cache: 'no-store' });
      if (r.status === 403) { summary.textContent = 'access denied: open the page with ?token=…'; return; }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      update(await r.json());
    } catch (e) {
      summary.textContent = 'viewer unreachable (' + e.message + '), retrying…';
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // #camera=ID: one camera; #site=NAME: a site's totals; else the grid
  let shownSite = null;
  function route() {
    const m = /^#camera=(.+)$/.exec(location.hash);
    const s = /^#site=(.+)$/.exec(location.hash);
    const id = m ? decodeURIComponent(m[1]) : null;
    const siteName = s ? decodeURIComponent(s[1]) : null;
    if (id === selected && siteName === shownSite) return;
    const detail = document.getElementById('detail');
    const siteView = document.getElementById('site-view');
    if (selected !== null) window.FFDetail.close();
    if (shownSite !== null) window.FFSite.close();
    selected = id;
    shownSite = siteName;
    detail.hidden = id === null;
    siteView.hidden = siteName === null;
    const gridShown = id === null && siteName === null;
    grid.hidden = !gridShown;
    document.getElementById('grid-tools').hidden = !gridShown;
    if (!gridShown) empty.hidden = true;
    if (id !== null) {
      window.FFDetail.open(id, tiles.get(id));
      live.watch([id]);
    } else if (siteName !== null) {
      window.FFSite.open(siteName);
      live.watch([]);
    } else {
      live.watch([]);
      layout();
    }
  }

  function updateSiteLink() {
    const link = document.getElementById('site-link');
    link.hidden = !siteFilter.value;
    link.href = '#site=' + enc(siteFilter.value);
  }

  document.getElementById('prev').addEventListener('click', () => { page = Math.max(0, page - 1); layout(); });
  document.getElementById('next').addEventListener('click', () => { page += 1; layout(); });
  siteFilter.addEventListener('change', () => { page = 0; updateSiteLink(); layout(); });
  document.getElementById('site-back').addEventListener('click', () => { location.hash = ''; });
  window.addEventListener('hashchange', route);
  route();
  poll();
})();
