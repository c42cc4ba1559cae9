// A request has two IDs, as in Apono: the friendly one its UI shows (AR-1042) and an internal one (a
// UUID). Apono does not publish which of them `/access-requests/{id}` takes, so the sandbox answers in
// either form, one at a time: 'friendly' (the default) or 'internal'.
import { createHash } from 'node:crypto';

export type RequestIdMode = 'friendly' | 'internal';

export const requestIdModes: readonly RequestIdMode[] = ['friendly', 'internal'];

/** A UUID shaped like RFC 4122 version 5 (SHA-1 of a fixed namespace and the name): the same on every start. */
export function stableUuid(name: string): string {
  const bytes = createHash('sha1').update(`apono-sandbox/${name}`).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.subarray(0, 16).toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/** The internal ID for a friendly ID, so the seeded account has the same IDs on every start. */
export const internalIdOf = (friendlyId: string): string => stableUuid(`access-request/${friendlyId}`);

/**
 * `SANDBOX_REQUEST_IDS=friendly|internal` (unset or empty: friendly). Any other value throws, so a
 * server can refuse the configuration instead of silently testing the other mode.
 */
export function requestIdModeFromEnv(env: Record<string, string | undefined> = process.env): RequestIdMode {
  const value = (env.SANDBOX_REQUEST_IDS ?? '').trim().toLowerCase();
  if (!value) return 'friendly';
  if ((requestIdModes as readonly string[]).includes(value)) return value as RequestIdMode;
  throw new Error(`SANDBOX_REQUEST_IDS must be "friendly" or "internal", not "${env.SANDBOX_REQUEST_IDS}"`);
}
