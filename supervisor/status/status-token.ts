import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors/app-error.ts';
import type { StatusConfig } from '../config/types.ts';

/**
 * The bearer token named by `status.tokenEnv`, or undefined when no auth is configured.
 * A named but empty variable is refused: starting an open server when the operator asked for a locked one
 * would be config that quietly "fixes itself".
 */
export function readStatusToken(status: StatusConfig, env: NodeJS.ProcessEnv): string | undefined {
  if (status.tokenEnv === undefined) return undefined;
  const token = env[status.tokenEnv]?.trim();
  if (!token) {
    throw new AppError('CONFIG_INVALID', `status.tokenEnv: expected the environment variable ${status.tokenEnv} to hold the status token, received ${token === undefined ? 'nothing (unset)' : 'an empty value'}`, {
      hint: `Set ${status.tokenEnv} in the environment (or in .env / the systemd EnvironmentFile), or remove status.tokenEnv to serve without auth on ${status.host}.`,
    });
  }
  return token;
}

// Both sides are hashed first so the comparison takes the same time whatever the length of the guess.
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Whether a request may pass: `Authorization: Bearer <token>`, or `?token=` where the caller allows it
 * (the dashboard page only, so a browser can open it from a bookmark).
 */
export function requestAuthorized(expected: string | undefined, authorization: string | undefined, queryToken: string | null): boolean {
  if (expected === undefined) return true;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (bearer !== undefined) return sameSecret(bearer, expected);
  return queryToken !== null && sameSecret(queryToken, expected);
}
