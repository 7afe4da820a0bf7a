import { isIP } from 'node:net';
import { AppError } from '../shared/errors/app-error.ts';

export interface RedcapCredentials {
  readonly url: string;
  readonly token: string;
  /** Said once per run in the source's result, e.g. that REDCAP_ALLOW_HTTP sends the token in clear. @default [] */
  readonly warnings?: readonly string[];
}

const TOKEN_SHAPE = /^[0-9A-Fa-f]{32}$/;

/** The variable that lets the token cross the network over plain http://; anything but "1" leaves it refused. */
export const ALLOW_HTTP_VARIABLE = 'REDCAP_ALLOW_HTTP';

/** The URL without user:password, safe to print. */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/** Pure: true for localhost, 127.0.0.0/8 and ::1, where plain http never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && host === '::1';
}

// Validates REDCAP_API_URL / REDCAP_API_TOKEN as found in the environment (main has already merged .env into it).
// The message describes what is wrong with the token (length, characters) and never shows it.
export function readCredentials(env: Readonly<Record<string, string | undefined>>): RedcapCredentials {
  const raw = env.REDCAP_API_URL?.trim();
  const token = env.REDCAP_API_TOKEN?.trim();
  const invalid = (message: string) => new AppError('CREDENTIALS_INVALID', message);
  if (!raw) throw invalid('REDCAP_API_URL is not set (neither in the environment nor in .env)');
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw invalid('REDCAP_API_URL is not a URL; expected something like https://redcap.example.org/api/');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid(`REDCAP_API_URL must be http(s); received ${parsed.protocol}`);
  // ".../api" is what operators copy from the browser; REDCap itself only answers at ".../api/" (the web server
  // would redirect, and redirects are refused), so the slash is added rather than the run failed over it.
  const addSlash = parsed.pathname.endsWith('/api');
  if (addSlash) parsed.pathname += '/';
  if (!parsed.pathname.endsWith('/api/')) throw invalid(`REDCAP_API_URL must end in /api/; received ${printableUrl(raw)}`);
  // Unchanged text otherwise: the URL is part of the watermark's fingerprint.
  const url = addSlash ? parsed.toString() : raw;
  const warnings: string[] = [];
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    if (env[ALLOW_HTTP_VARIABLE] !== '1') {
      throw invalid(
        `REDCAP_API_URL is plain http:// to ${parsed.host}, so the API token would cross the network in clear text; use https://, or set ${ALLOW_HTTP_VARIABLE}=1 if the network path is trusted`,
      );
    }
    warnings.push(`INSECURE: ${ALLOW_HTTP_VARIABLE}=1 sends the REDCap API token in clear text over http:// to ${parsed.host}; anyone on the network path can read it. Switch REDCAP_API_URL to https://`);
  }
  if (!token) throw invalid('REDCAP_API_TOKEN is not set (neither in the environment nor in .env)');
  if (!TOKEN_SHAPE.test(token)) {
    const nonHex = [...token].filter((c) => !/[0-9A-Fa-f]/.test(c)).length;
    throw invalid(`REDCAP_API_TOKEN must be 32 hexadecimal characters; received ${token.length} characters, ${nonHex} of them not hexadecimal`);
  }
  return warnings.length > 0 ? { url, token, warnings } : { url, token };
}
