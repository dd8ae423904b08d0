// Makes request/response bodies safe to keep in the request log: secret-bearing fields become '[redacted]', any
// string that looks like a JWT is blanked, and huge bodies are cut to a preview (after redaction, never before).

const SECRET_FIELDS = new Set([
  'authorization',
  'client_secret',
  'client_assertion',
  'assertion',
  'access_token',
  'refresh_token',
  'id_token',
  'password',
  'recordingaccesstoken',
  'clientstate',
]);
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
export const REDACTED = '[redacted]';
const MAX_STORED_CHARS = 16_384;
const PREVIEW_CHARS = 2_048;

export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(JWT_PATTERN, REDACTED);
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_FIELDS.has(key.toLowerCase()) ? REDACTED : redact(inner);
    }
    return out;
  }
  return value;
}

/** URLSearchParams → plain object (repeated keys become arrays), redacted. */
export function describeQuery(query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return redact(out) as Record<string, unknown>;
}

/** A body as the log keeps it: parsed JSON or form when it is one, else text; redacted; truncated when huge. */
export function describeBody(body: Buffer | string | undefined, contentType: string | undefined): unknown {
  if (body === undefined || body.length === 0) return undefined;
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const type = (contentType ?? '').toLowerCase();
  let value: unknown = text;
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
  } else if (type.includes('application/x-www-form-urlencoded')) {
    value = describeQuery(new URLSearchParams(text));
  } else if (!type.startsWith('text/') && type !== '' && !type.includes('xml')) {
    return { '[binary]': true, bytes: Buffer.byteLength(text) };
  }
  const safe = redact(value);
  const serialized = typeof safe === 'string' ? safe : JSON.stringify(safe);
  if (serialized.length <= MAX_STORED_CHARS) return safe;
  return { '[truncated]': true, chars: serialized.length, preview: serialized.slice(0, PREVIEW_CHARS) };
}
