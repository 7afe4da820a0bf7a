import { AppError } from '../../shared/errors/app-error.ts';

/** The statuses that ask a client to send the request again somewhere else. */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Long enough for any real address, short enough that a hostile header cannot flood the log. */
const MAX_LOCATION_CHARS = 300;

export function isRedirect(status: number, location: string | null): location is string {
  return REDIRECT_STATUSES.has(status) && location !== null;
}

/** Pure: the Location resolved against the request URL, without user:password or control characters, capped. */
export function printableLocation(location: string, requestUrl: string): string {
  let text: string;
  try {
    const target = new URL(location, requestUrl);
    target.username = '';
    target.password = '';
    text = target.toString();
  } catch {
    return `an unreadable Location header (${location.length} characters)`;
  }
  text = text.replace(/[\u0000-\u001f\u007f]/g, '');
  return text.length > MAX_LOCATION_CHARS ? `${text.slice(0, MAX_LOCATION_CHARS)}…` : text;
}

// Pure: a redirect is never followed, because fetch would send the whole request again, token included, to
// wherever the Location points (another host, a captive portal, an attacker's server). The operator decides instead.
export function redirectedError(status: number, location: string, requestUrl: string, host: string, what: string): AppError {
  const target = printableLocation(location, requestUrl);
  return new AppError(
    'REDCAP_REDIRECTED',
    `REDCap at ${host} answered ${what} with HTTP ${status}, a redirect to ${target}; it was not followed, so the API token went nowhere else. If that is REDCap's real address, set REDCAP_API_URL to it`,
    { details: { status, location: target } },
  );
}
