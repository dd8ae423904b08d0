// The notificationUrl validation Graph does before it creates a subscription: POST {url}?validationToken=<opaque> with
// Content-Type: text/plain; charset=utf-8; only a 200 text/plain answer whose body is the decoded token, within the
// time limit (10 s), passes. The token carries spaces, colons, "+" and "=" so a double-decode or echoing it still
// encoded fails, as it would against Graph.

import { randomBytes, randomUUID } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { GraphError } from '../graph/graph-error.js';

export type HandshakeResult = { ok: true } | { ok: false; error: GraphError; detail: string };

export function validationToken(): string {
  return `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()} nonce=${randomBytes(9).toString('base64')}+&=`;
}

export function withQuery(url: string, name: string, value: string): string {
  const hash = url.indexOf('#');
  const base = hash >= 0 ? url.slice(0, hash) : url;
  return `${base}${base.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
}

export async function validateEndpoint(url: string, timeoutMs: number, dispatcher: Dispatcher, signal: AbortSignal): Promise<HandshakeResult> {
  const token = validationToken();
  const fail = (message: string, detail: string): HandshakeResult => ({ ok: false, error: new GraphError(400, 'InvalidRequest', message), detail });
  let status: number;
  let contentType: string;
  let body: string;
  try {
    const res = await request(withQuery(url, 'validationToken', token), {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'text/plain; charset=utf-8', accept: 'text/plain' },
      body: '',
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    status = res.statusCode;
    const type = res.headers['content-type'];
    contentType = (Array.isArray(type) ? type[0] : type) ?? '';
    body = await res.body.text();
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return fail('Subscription validation request timeout.', `no answer within ${timeoutMs} ms`);
    }
    return fail('Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.', (err as Error).message);
  }
  if (status !== 200) {
    return fail('Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.', `HTTP ${status}`);
  }
  if (!/^text\/plain\b/i.test(contentType) || body !== token) {
    return fail('Subscription validation request failed. Response must exactly match validationToken query parameter.', !/^text\/plain\b/i.test(contentType) ? `Content-Type '${contentType}'` : 'the body is not the decoded token');
  }
  return { ok: true };
}
