// Reads a Pylantir config file as a JSON object, bounded: a config is a few KiB, so a file past the bound is not one
// (a device, a log named by mistake) and is refused unread.
import { open } from 'node:fs/promises';

/** Far above any real Pylantir config. */
export const MAX_PYLANTIR_CONFIG_BYTES = 1024 * 1024;

export type JsonRead =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly missing: boolean; readonly why: string };

export async function readJsonObject(path: string): Promise<JsonRead> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_PYLANTIR_CONFIG_BYTES) return { ok: false, missing: false, why: `is ${size} bytes, over the ${MAX_PYLANTIR_CONFIG_BYTES}-byte bound of a config file` };
      const buffer = Buffer.alloc(MAX_PYLANTIR_CONFIG_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_PYLANTIR_CONFIG_BYTES) return { ok: false, missing: false, why: `is over the ${MAX_PYLANTIR_CONFIG_BYTES}-byte bound of a config file` };
      text = buffer.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === 'ENOENT', why: `cannot be read (${code ?? String(error)})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, missing: false, why: `is not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, missing: false, why: 'is not a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}
