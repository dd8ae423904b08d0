// Which URLs the calling service will call: https anywhere, plain http only on 127.0.0.1 (the emulator's local
// mode). Used for callbackUri, the calling webhook and prompt media URIs.

export function isAllowedServiceUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  return url.protocol === 'http:' && url.hostname === '127.0.0.1';
}

export const ALLOWED_URL_RULE = 'must be https (or http on 127.0.0.1, which the emulator allows for local mode)';
