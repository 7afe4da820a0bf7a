import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { assembleDashboard, loadDashboard } from '../../../supervisor/status/dashboard-page.ts';

test('the page inlines style and script verbatim and its CSP allows exactly them', () => {
  const script = 'const s = "$& $1";';
  const page = assembleDashboard('<style>{{style}}</style><script>{{script}}</script>', 'b{}', script);
  assert.equal(page.html, `<style>b{}</style><script>${script}</script>`);
  const hash = createHash('sha256').update(script).digest('base64');
  assert.match(page.contentSecurityPolicy, new RegExp(`script-src 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
  assert.match(page.contentSecurityPolicy, /default-src 'none'/);
  assert.match(page.contentSecurityPolicy, /connect-src 'self'/);
});

test('the shipped dashboard loads nothing from the network', async () => {
  const page = await loadDashboard();
  assert.ok(!page.html.includes('{{'), 'every placeholder was filled');
  assert.doesNotMatch(page.html, /(src|href)=["']?(https?:)?\/\//i, 'no CDN, no remote asset');
  assert.match(page.html, /id="runner-chart"/);
  assert.match(page.html, /id="runs"/);
});
