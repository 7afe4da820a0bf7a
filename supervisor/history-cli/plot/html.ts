// PURE: the SVG chart wrapped in one HTML file with a hover tooltip; inline CSS and JS, nothing fetched.
import { escapeXml, type HoverPoint } from './svg.ts';

// JSON inside <script> must not be able to close the tag.
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const HOVER_SCRIPT = `
const svg = document.querySelector('svg');
const tip = document.getElementById('tip');
const points = JSON.parse(document.getElementById('hover-data').textContent);
const dot = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
dot.setAttribute('r', '4'); dot.setAttribute('fill', 'none'); dot.setAttribute('stroke', '#111827'); dot.setAttribute('stroke-width', '1.5');
dot.style.display = 'none'; svg.appendChild(dot);
svg.addEventListener('mousemove', (event) => {
  const box = svg.getBoundingClientRect();
  const scale = svg.viewBox.baseVal.width / box.width;
  const mx = (event.clientX - box.left) * scale, my = (event.clientY - box.top) * scale;
  let best, bestDistance = 400;
  for (const p of points) { const d = (p.x - mx) ** 2 + ((p.y - my) ** 2) / 4; if (d < bestDistance) { best = p; bestDistance = d; } }
  if (!best) { tip.style.display = 'none'; dot.style.display = 'none'; return; }
  dot.setAttribute('cx', best.x); dot.setAttribute('cy', best.y); dot.style.display = '';
  tip.textContent = best.text; tip.style.display = 'block';
  tip.style.left = (event.pageX + 14) + 'px'; tip.style.top = (event.pageY + 14) + 'px';
});
svg.addEventListener('mouseleave', () => { tip.style.display = 'none'; dot.style.display = 'none'; });
`;

export function renderPlotHtml(svg: string, hover: readonly HoverPoint[], title: string, footer: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(title)}</title>
<style>
  body { font-family: sans-serif; margin: 24px; color: #111827; background: #f9fafb; }
  .chart { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px; display: inline-block; }
  svg { max-width: 100%; height: auto; display: block; }
  #tip { position: absolute; display: none; background: #111827; color: #fff; padding: 4px 8px; border-radius: 4px; font-size: 12px; pointer-events: none; white-space: nowrap; }
  footer { color: #6b7280; font-size: 12px; margin-top: 8px; }
</style>
</head>
<body>
<div class="chart">
${svg}
</div>
<footer>${escapeXml(footer)}</footer>
<div id="tip"></div>
<script type="application/json" id="hover-data">${scriptSafeJson(hover)}</script>
<script>${HOVER_SCRIPT}</script>
</body>
</html>
`;
}
