// The pure half of the change-notification webhook (callRecords subscription): the validation handshake and the
// parsing of a notification batch (change notifications and lifecycle notifications share the envelope).
// Checking clientState and queueing the fetches is CallRecordsService.receiveChangeNotifications.
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { changeNotificationItemSchema } from '../graph/index.js';
import { RecordsError } from './records-error.js';

export const MAX_VALIDATION_TOKEN_LENGTH = 4096;
export const MAX_NOTIFICATIONS_PER_BATCH = 1_000;

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
const LIFECYCLE_EVENTS: LifecycleEvent[] = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'];

export type ChangeNotificationItem =
  | { kind: 'change'; subscriptionId: string; clientState?: string; changeType: string; recordId?: string; resource: string; tenantId?: string }
  | { kind: 'lifecycle'; subscriptionId: string; clientState?: string; lifecycleEvent: LifecycleEvent; tenantId?: string }
  | { kind: 'invalid'; index: number; reason: string };

/**
 * The token to echo when Graph validates a notification (or lifecycle) URL: `POST {url}?validationToken=…`.
 * Answer 200 with it as `text/plain` (plus `X-Content-Type-Options: nosniff`), exactly as returned here — decoded, never
 * re-encoded, never HTML-escaped (that would change it); as plain text it cannot run in a browser.
 * Takes the raw query string (`?validationToken=a%20b` → `a b`) or a query object the HTTP layer already decoded.
 * Undefined when there is no single, sane token (then it is a notification, not a validation).
 */
export function validationResponse(query: unknown): string | undefined {
  let token: unknown;
  if (typeof query === 'string') {
    const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
    const all = params.getAll('validationToken');
    token = all.length === 1 ? all[0] : undefined;
  } else if (query instanceof URLSearchParams) {
    const all = query.getAll('validationToken');
    token = all.length === 1 ? all[0] : undefined;
  } else if (query && typeof query === 'object') {
    token = (query as Record<string, unknown>).validationToken;
  }
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_VALIDATION_TOKEN_LENGTH) return undefined;
  return token;
}

const batchSchema = z.object({ value: z.array(z.unknown()).max(MAX_NOTIFICATIONS_PER_BATCH) }).loose();

const itemSchema = changeNotificationItemSchema.extend({
  resourceData: z.object({ id: z.string().max(256).nullish() }).loose().nullish(),
  tenantId: z.string().max(128).nullish(),
});

const RECORD_RESOURCE = /^\/?communications\/callRecords(?:\/([^/?#]+)|\('([^'/?#]+)'\))$/i;
const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Throws RecordsError('records/invalid-notification') when the body is not a `{ value: [...] }` batch. */
export function parseChangeNotifications(body: unknown): ChangeNotificationItem[] {
  const batch = batchSchema.safeParse(body);
  if (!batch.success) throw new RecordsError('records/invalid-notification', 'The change notification body is not a { value: [...] } batch');
  return batch.data.value.map((raw, index): ChangeNotificationItem => {
    const parsed = itemSchema.safeParse(raw);
    if (!parsed.success) return { kind: 'invalid', index, reason: 'not a change notification' };
    const item = parsed.data;
    const common = {
      subscriptionId: item.subscriptionId,
      ...(item.clientState != null ? { clientState: item.clientState } : {}),
      ...(item.tenantId != null ? { tenantId: item.tenantId } : {}),
    };
    if (item.lifecycleEvent != null) {
      const event = LIFECYCLE_EVENTS.find((e) => e.toLowerCase() === item.lifecycleEvent!.toLowerCase());
      if (!event) return { kind: 'invalid', index, reason: 'unknown lifecycle event' };
      return { kind: 'lifecycle', ...common, lifecycleEvent: event };
    }
    if (!item.changeType || !item.resource) return { kind: 'invalid', index, reason: 'changeType and resource are required' };
    const match = RECORD_RESOURCE.exec(item.resource);
    const fromResource = match ? (match[1] ?? match[2]) : undefined;
    const candidate = item.resourceData?.id ?? fromResource;
    const out: ChangeNotificationItem = { kind: 'change', ...common, changeType: item.changeType.toLowerCase(), resource: item.resource };
    if (match && candidate && RECORD_ID.test(candidate)) out.recordId = candidate;
    return out;
  });
}

/** Constant-time comparison of a received clientState with the secret. */
export function clientStateMatches(received: string | undefined, secret: string): boolean {
  if (received === undefined) return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(a, b);
}
