import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../../shared/package-root.ts';

export interface DashboardPage {
  readonly html: string;
  /** Allows exactly the inlined script and style (by hash) and fetches to this server; nothing else loads. */
  readonly contentSecurityPolicy: string;
}

/** The page's sources live beside this file in the package, so tsx and dist/ read the same ones. */
function dashboardDir(): string {
  return join(packageRoot(), 'supervisor', 'status', 'dashboard');
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// Pure: template + style + script → one self-contained page, because hospital networks are often offline.
export function assembleDashboard(template: string, style: string, script: string): DashboardPage {
  // A function replacer, so a `$&` in the script is not read as a replacement pattern.
  const html = template.replace('{{style}}', () => style).replace('{{script}}', () => script);
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

/** Read once when the status server starts; a missing file fails the start, not the first page view. */
export async function loadDashboard(dir = dashboardDir()): Promise<DashboardPage> {
  const [template, style, script] = await Promise.all(['index.html', 'dashboard.css', 'dashboard.js'].map((name) => readFile(join(dir, name), 'utf8')));
  return assembleDashboard(template ?? '', style ?? '', script ?? '');
}
