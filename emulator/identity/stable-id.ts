// Deterministic GUIDs derived from names (a hash, formatted as a version-5-style UUID), so ids such as an app's
// service-principal object id stay the same across restarts without being stored.

import { createHash } from 'node:crypto';

export function stableGuid(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A pairwise subject like Entra's `sub`: stable per (user, app), opaque, 43 base64url characters. */
export function pairwiseSubject(userId: string, clientId: string): string {
  return createHash('sha256').update(`${userId}\u0000${clientId.toLowerCase()}`).digest('base64url');
}
