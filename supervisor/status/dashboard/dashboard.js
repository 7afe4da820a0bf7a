// The dashboard's only script: polls the status JSON once a second and redraws. No framework, no network beyond this server.
'use strict';
(() => {
  const POLL_MS = 1000;
  const MB = 1024 * 1024;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const W = 720;
  const H = 240;
  const PAD = { left: 56, right: 14, top: 12, bottom: 26 };

  // A token given as ?token= on the page URL goes to every request as a bearer header, never into the query.
  const token = new URLSearchParams(location.search).get('token');
  const headers = token ? { authorization: `Bearer ${token}` } : {};

  const $ = (id) => document.getElementById(id);
  const mb = (bytes) => (bytes / MB).toFixed(1);
  const duration = (ms) => (ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);
  const clock = (ms) => new Date(ms).toLocaleTimeString();

  function el(tag, attributes, text) {
    const node = tag.startsWith('svg:') ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers, cache: 'no-store' });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  function card(label, value, sub) {
    const node = el('div', { class: 'card' });
    node.append(el('div', { class: 'label' }, label), el('div', { class: 'value' }, value));
    if (sub) node.append(el('div', { class: 'sub' }, sub));
    return node;
  }

  function renderSummary(status) {
    const run = status.currentRun;
    const s = status.schedule;
    const open = status.alerts.open;
    $('summary').replaceChildren(
      card('supervisor RSS', `${mb(status.supervisor.rssBytes)} MB`, `pid ${status.supervisor.pid}, up ${duration(status.supervisor.uptimeMs)}`),
      run
        ? card(`run ${run.runId} (attempt ${run.attempt})`, `${mb(run.treeRssBytes)} MB`, `pid ${run.pid ?? '…'}, ${run.pidCount} proc, ${duration(run.elapsedMs)}, peak ${mb(run.peakRssBytes)} MB`)
        : card('current run', 'idle', 'no runner alive'),
      card('limits', `${status.thresholds.warnMb} / ${status.thresholds.emergencyMb} MB`, `warn / emergency; hard ${status.thresholds.hardLimitMb} MB`),
      card('next tick', s.nextTickAtMs ? clock(s.nextTickAtMs) : s.running ? '—' : 'no schedule', s.lastOkAtMs ? `last ok ${clock(s.lastOkAtMs)}` : 'no ok run yet'),
      card('open alerts', `${open.critical} critical, ${open.warning} warning`, `24 h: ${status.alerts.last24h.critical} crit, ${status.alerts.last24h.warning} warn`),
    );
  }

  // Splits the runner series where the run changes, so one run's line never joins the next one's.
  function segments(points) {
    const out = [];
    let current = [];
    for (const point of points) {
      const previous = current[current.length - 1];
      if (previous && point[2] !== previous[2]) {
        out.push(current);
        current = [];
      }
      current.push(point);
    }
    if (current.length) out.push(current);
    return out;
  }

  // A round axis step (1, 2 or 5 × 10^k) giving at most five gridlines, so labels read 50 / 100 / 150, not 43 / 86 / 129.
  function niceStep(maxMb) {
    const rough = maxMb / 4;
    const magnitude = 10 ** Math.floor(Math.log10(rough));
    return [1, 2, 5, 10].map((f) => f * magnitude).find((step) => step >= rough);
  }

  function drawChart(svg, points, options) {
    const now = options.nowMs;
    const start = points.length ? Math.min(points[0][0], now - 10_000) : now - 60_000;
    const highest = Math.max(options.minTopMb, ...points.map((p) => (p[1] / MB) * 1.08), 1);
    const step = niceStep(highest);
    const top = step * Math.ceil(highest / step);
    const x = (at) => PAD.left + ((at - start) / Math.max(1, now - start)) * (W - PAD.left - PAD.right);
    const y = (mbValue) => H - PAD.bottom - (Math.min(mbValue, top) / top) * (H - PAD.top - PAD.bottom);
    const nodes = [el('svg:rect', { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom, fill: '#fbfcfd', stroke: '#d9dee5' })];
    for (let value = 0; value <= top + step / 2; value += step) {
      nodes.push(el('svg:line', { x1: PAD.left, x2: W - PAD.right, y1: y(value), y2: y(value), stroke: '#eef0f3' }));
      nodes.push(el('svg:text', { class: 'axis', x: PAD.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, `${Number(value.toPrecision(6))} MB`));
    }
    nodes.push(el('svg:text', { class: 'axis', x: PAD.left, y: H - 8 }, `−${duration(now - start)}`));
    nodes.push(el('svg:text', { class: 'axis', x: W - PAD.right, y: H - 8, 'text-anchor': 'end' }, 'now'));
    for (const line of options.lines) {
      nodes.push(el('svg:line', { x1: PAD.left, x2: W - PAD.right, y1: y(line.mb), y2: y(line.mb), stroke: line.color, 'stroke-width': 1.5, 'stroke-dasharray': '6 4' }));
      nodes.push(el('svg:text', { x: PAD.left + 6, y: y(line.mb) - 4, fill: line.color, 'font-weight': 600 }, `${line.label} ${line.mb} MB`));
    }
    for (const segment of segments(points)) {
      const coordinates = segment.map((p) => `${x(p[0]).toFixed(1)},${y(p[1] / MB).toFixed(1)}`).join(' ');
      nodes.push(el('svg:polyline', { points: coordinates, fill: 'none', stroke: options.color, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
      if (segment.length === 1) nodes.push(el('svg:circle', { cx: x(segment[0][0]), cy: y(segment[0][1] / MB), r: 2.5, fill: options.color }));
    }
    if (!points.length) nodes.push(el('svg:text', { class: 'axis', x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no samples yet'));
    svg.replaceChildren(...nodes);
    svg.setAttribute('data-points', String(points.length));
    svg.setAttribute('data-last-at', String(points.length ? points[points.length - 1][0] : 0));
  }

  // The supervisor's reason for a stop (memory, timeout), else why the run failed: the code and message the history keeps.
  function reasonText(run) {
    if (run.reason) return run.reason;
    const f = run.failure;
    return f ? `${f.source ? `${f.source}: ` : ''}${f.code ? `${f.code} ` : ''}${f.message}` : '';
  }

  function renderRuns(runs) {
    const rows = runs.map((run) => {
      const tr = el('tr', { 'data-run': run.id, 'data-status': run.status, 'data-reason': run.reason ?? '', 'data-failure': run.failure?.code ?? '' });
      tr.append(
        el('td', {}, run.id),
        el('td', {}, run.attempt),
        el('td', {}, clock(run.startedAtMs)),
        el('td', {}, run.durationMs === null ? 'running' : duration(run.durationMs)),
        el('td', { class: `status-${run.status}` }, run.status),
        el('td', { class: 'reason', title: reasonText(run) }, reasonText(run)),
        el('td', {}, run.peakRssBytes === null ? '' : `${mb(run.peakRssBytes)} MB`),
        el('td', {}, run.exitCode ?? run.signal ?? ''),
        el('td', {}, run.forceKilled ? 'yes' : ''),
      );
      return tr;
    });
    $('runs').tBodies[0].replaceChildren(...rows);
  }

  // The sync's status changes to worklist rows, newest first; every cell is text, whatever the runner reported.
  function renderWorklistChanges(changes) {
    const rows = changes.map((change) => {
      const tr = el('tr', { 'data-reason': change.reason, 'data-row': change.rowId });
      tr.append(
        el('td', {}, new Date(change.atMs).toLocaleString()),
        el('td', {}, change.rowId),
        el('td', {}, change.patientId ?? ''),
        el('td', {}, `${change.fromStatus} → ${change.toStatus}`),
        el('td', { class: `reason-${change.reason}` }, change.reason),
        el('td', {}, change.instance === null ? change.record : `${change.record} / ${change.instance}`),
        el('td', {}, change.source),
        el('td', {}, change.runId ?? ''),
      );
      return tr;
    });
    if (!rows.length) {
      const empty = el('tr', { class: 'empty' });
      empty.append(el('td', { colspan: 8 }, 'no worklist status changes recorded'));
      rows.push(empty);
    }
    $('worklist-changes').tBodies[0].replaceChildren(...rows);
  }

  function setConnection(text, kind) {
    const badge = $('connection');
    badge.textContent = text;
    badge.className = `badge ${kind}`;
  }

  async function poll() {
    try {
      const [status, points] = await Promise.all([getJson('memory-status'), getJson('live-points')]);
      renderSummary(status);
      const t = status.thresholds;
      drawChart($('runner-chart'), points.runner, {
        nowMs: status.generatedAtMs, color: '#2457c5', minTopMb: t.emergencyMb * 1.15,
        lines: [{ mb: t.warnMb, label: 'warning', color: '#c77700' }, { mb: t.emergencyMb, label: 'emergency', color: '#c62828' }],
      });
      drawChart($('supervisor-chart'), points.supervisor, { nowMs: status.generatedAtMs, color: '#6a3fb5', minTopMb: 0, lines: [] });
      renderRuns(status.recentRuns);
      renderWorklistChanges(status.worklist.recentChanges);
      setConnection(`live · ${clock(status.generatedAtMs)}`, 'live');
    } catch (error) {
      setConnection(String(error.message || error), 'error');
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  void poll();
})();
