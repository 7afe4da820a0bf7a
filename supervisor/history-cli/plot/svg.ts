// PURE: plot data → a self-contained SVG chart (no fonts, scripts or links to fetch), plus hover points for HTML.
import type { PlotPoint } from './buckets.ts';
import type { PlotMarker, PlotMarkerKind, PlotSeries } from './data.ts';
import { mbTicks, timeTicks } from './scale.ts';

export interface PlotSpec {
  readonly title: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly warnMb: number;
  readonly emergencyMb: number;
  /** `YYYY-MM-DD HH:MM:SS` in the operator's zone. */
  readonly time: (ms: number) => string;
}

export interface HoverPoint {
  readonly x: number;
  readonly y: number;
  readonly series: string;
  readonly text: string;
}

const W = 1000;
const H = 480;
const M = { top: 66, right: 112, bottom: 44, left: 64 };
const COLORS = { runner: '#2563eb', peaks: '#93c5fd', supervisor: '#16a34a', warn: '#d97706', emergency: '#dc2626', kill: '#dc2626', 'supervisor-start': '#7c3aed', 'runner-restart': '#0891b2', grid: '#e5e7eb', text: '#374151' };
const MAX_MARKERS = 300;
const GLYPHS: Record<PlotMarkerKind, string> = { kill: '✕', 'runner-restart': '⟳', 'supervisor-start': '↻' };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function maxOf(series: PlotSeries, spec: PlotSpec): number {
  let max = spec.emergencyMb;
  for (const p of [...series.runner.flat(), ...series.supervisor.flat(), ...series.runPeaks]) max = Math.max(max, p.mb);
  return max * 1.08;
}

export function renderPlotSvg(series: PlotSeries, spec: PlotSpec): { svg: string; hover: HoverPoint[] } {
  const { ticks: yTicks, top } = mbTicks(maxOf(series, spec));
  const span = Math.max(1, spec.toMs - spec.fromMs);
  const x = (ms: number): number => M.left + ((ms - spec.fromMs) / span) * (W - M.left - M.right);
  const y = (mb: number): number => H - M.bottom - (mb / top) * (H - M.top - M.bottom);
  const fx = (v: number): string => v.toFixed(1);
  const hover: HoverPoint[] = [];
  const path = (segments: PlotPoint[][], name: string, hoverable = true): string =>
    segments
      .map((seg) => {
        if (hoverable) for (const p of seg) hover.push({ x: x(p.atMs), y: y(p.mb), series: name, text: `${name}: ${p.mb.toFixed(1)} MB at ${spec.time(p.atMs)}` });
        // A lone point becomes a zero-length stroke, which round caps draw as a dot.
        return seg.map((p, i) => `${i ? 'L' : 'M'}${fx(x(p.atMs))} ${fx(y(p.mb))}`).join('') + (seg.length === 1 ? 'l0 0' : '');
      })
      .join('');
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12" role="img" aria-label="${escapeXml(spec.title)}">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${M.left}" y="20" font-size="15" font-weight="bold" fill="${COLORS.text}">${escapeXml(spec.title)}</text>`);
  out.push('<g class="grid">');
  for (const v of yTicks) out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${fx(y(v))}" y2="${fx(y(v))}" stroke="${COLORS.grid}"/><text x="${M.left - 6}" y="${fx(y(v) + 4)}" text-anchor="end" fill="${COLORS.text}">${v}</text>`);
  const { ticks: xTicks, label } = timeTicks(spec.fromMs, spec.toMs);
  for (const t of xTicks) out.push(`<line x1="${fx(x(t))}" x2="${fx(x(t))}" y1="${M.top}" y2="${H - M.bottom}" stroke="${COLORS.grid}"/><text x="${fx(x(t))}" y="${H - M.bottom + 18}" text-anchor="middle" fill="${COLORS.text}">${escapeXml(label(spec.time(t)))}</text>`);
  out.push(`<text x="16" y="${(M.top + H - M.bottom) / 2}" transform="rotate(-90 16 ${(M.top + H - M.bottom) / 2})" text-anchor="middle" fill="${COLORS.text}">RSS (MB)</text>`);
  out.push('</g>');
  for (const [name, mb, color] of [['warn', spec.warnMb, COLORS.warn], ['emergency', spec.emergencyMb, COLORS.emergency]] as const) {
    out.push(`<g class="threshold threshold-${name}" data-mb="${mb}"><line x1="${M.left}" x2="${W - M.right}" y1="${fx(y(mb))}" y2="${fx(y(mb))}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`
      // Inside the plot area, right-aligned above its line: text at the right margin ran past the viewBox.
      + `<text x="${W - M.right - 4}" y="${fx(y(mb) - 4)}" text-anchor="end" fill="${color}">${name} ${mb} MB</text></g>`);
  }
  out.push(renderMarkers(series.markers, x, fx, spec));
  // Run peaks as a thin line under the raw samples: the trend stays readable, also where samples were pruned.
  const peakDots = series.runPeaks.length <= 400 ? series.runPeaks.map((p) => `<circle cx="${fx(x(p.atMs))}" cy="${fx(y(p.mb))}" r="2"/>`) : [];
  for (const p of series.runPeaks) hover.push({ x: x(p.atMs), y: y(p.mb), series: 'run peak', text: `run peak: ${p.mb.toFixed(1)} MB at ${spec.time(p.atMs)}` });
  out.push(`<g class="run-peaks" data-points="${series.runPeaks.length}"><path d="${path([series.runPeaks], 'run peak', false)}" fill="none" stroke="${COLORS.peaks}" stroke-width="1.2" opacity="0.8"/>`
    + `<g fill="${COLORS.peaks}">${peakDots.join('')}</g></g>`);
  const supervisorPoints = series.supervisor.reduce((n, s) => n + s.length, 0);
  out.push(`<path class="series series-supervisor" data-points="${supervisorPoints}" d="${path(series.supervisor, 'supervisor')}" fill="none" stroke="${COLORS.supervisor}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`);
  const runnerPoints = series.runner.reduce((n, s) => n + s.length, 0);
  out.push(`<path class="series series-runner" data-points="${runnerPoints}" d="${path(series.runner, 'runner')}" fill="none" stroke="${COLORS.runner}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`);
  out.push(renderLegend(series));
  out.push('</svg>');
  return { svg: out.join('\n'), hover };
}

function renderMarkers(markers: readonly PlotMarker[], x: (ms: number) => number, fx: (v: number) => string, spec: PlotSpec): string {
  const shown = markers.slice(-MAX_MARKERS);
  const parts = shown.map((m) => {
    const color = COLORS[m.kind];
    const glyph = GLYPHS[m.kind];
    const title = `${m.label} (${spec.time(m.atMs)})`;
    return `<g class="marker marker-${m.kind}${m.kind === 'kill' ? '' : ' marker-restart'}"><title>${escapeXml(title)}</title><line x1="${fx(x(m.atMs))}" x2="${fx(x(m.atMs))}" y1="${M.top}" y2="${H - M.bottom}" stroke="${color}" stroke-width="1" stroke-dasharray="2 3" opacity="0.7"/>`
      + `<text x="${fx(x(m.atMs))}" y="${M.top - 5}" text-anchor="middle" fill="${color}" font-size="13">${glyph}</text></g>`;
  });
  return `<g class="markers" data-count="${markers.length}">${parts.join('')}</g>`;
}

function renderLegend(series: PlotSeries): string {
  const count = (kind: PlotMarkerKind): number => series.markers.filter((m) => m.kind === kind).length;
  const items: Array<[string, string]> = [
    [COLORS.runner, 'runner tree RSS'], [COLORS.peaks, 'run peak'], [COLORS.supervisor, 'supervisor RSS'],
    [COLORS.kill, `${GLYPHS.kill} kill (${count('kill')})`], [COLORS['runner-restart'], `${GLYPHS['runner-restart']} runner restart (${count('runner-restart')})`],
    [COLORS['supervisor-start'], `${GLYPHS['supervisor-start']} supervisor start (${count('supervisor-start')})`],
  ];
  // Its own row under the title, so a long title can't run into it.
  let cursor = M.left;
  const parts: string[] = [];
  for (const [color, text] of items) {
    parts.push(`<rect x="${cursor.toFixed(1)}" y="34" width="12" height="4" fill="${color}"/><text x="${(cursor + 16).toFixed(1)}" y="40" fill="#374151">${escapeXml(text)}</text>`);
    cursor += text.length * 6.6 + 34;
  }
  return `<g class="legend">${parts.join('')}</g>`;
}
