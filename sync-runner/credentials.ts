import { AppError } from '../shared/errors/app-error.ts';

export interface RedcapCredentials {
  readonly url: string;
  readonly token: string;
}

const TOKEN_SHAPE = /^[0-9A-Fa-f]{32}$/;

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

// Validates REDCAP_API_URL / REDCAP_API_TOKEN as found in the environment (main has already merged .env into it).
// The message describes what is wrong with the token (length, characters) and never shows it.
export function readCredentials(env: Readonly<Record<string, string | undefined>>): RedcapCredentials {
  const url = env.REDCAP_API_URL?.trim();
  const token = env.REDCAP_API_TOKEN?.trim();
  const invalid = (message: string) => new AppError('CREDENTIALS_INVALID', message);
  if (!url) throw invalid('REDCAP_API_URL is not set (neither in the environment nor in .env)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('REDCAP_API_URL is not a URL; expected something like https://redcap.example.org/api/');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid(`REDCAP_API_URL must be http(s); received ${parsed.protocol}`);
  if (!parsed.pathname.endsWith('/api/')) throw invalid(`REDCAP_API_URL must end in /api/; received ${printableUrl(url)}`);
  if (!token) throw invalid('REDCAP_API_TOKEN is not set (neither in the environment nor in .env)');
  if (!TOKEN_SHAPE.test(token)) {
    const nonHex = [...token].filter((c) => !/[0-9A-Fa-f]/.test(c)).length;
    throw invalid(`REDCAP_API_TOKEN must be 32 hexadecimal characters; received ${token.length} characters, ${nonHex} of them not hexadecimal`);
  }
  return { url, token };
}
