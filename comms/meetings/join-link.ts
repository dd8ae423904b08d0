// Parses a Teams meeting join link into what joining needs, refusing anything that is not exactly a Teams link:
// WHATWG URL parser, exact host, https on the default port, no userinfo, one decoding, size caps, GUID checks and an
// optional tenant allowlist. The official sample's unanchored regex over a decoded string is what this replaces
// (security-reliability §6).
//
// Accepted forms:
//   https://teams.microsoft.com/l/meetup-join/<urlencoded 19:…@thread.v2>/<messageId>?context=<urlencoded {"Tid","Oid"}>
//   https://teams.microsoft.com/meet/<digits>?p=<passcode>
// Thread ids: `19:meeting_…@thread.v2` (scheduled and meet-now meetings), `…@thread.skype` (older meetings, as in the
// application-post-onlinemeetings example and the calling samples), `19:…@thread.tacv2` (channel meetings, whose context
// also carries the channel post as `MessageId`). teams.live.com links are consumer (Teams free) meetings, which Graph
// calling bots cannot join, so that host is refused.
import { MeetingError } from './meeting-error.js';

export type JoinLink =
  | {
      kind: 'meetup-join';
      threadId: string;
      messageId: string;
      tenantId: string;
      organizerId: string;
      /** Channel meetings: the channel post the meeting hangs off (context `MessageId`). */
      replyChainMessageId?: string;
      /** The link in canonical form (without extra query parameters): what `JoinWebUrl eq '…'` looks up. */
      url: string;
    }
  | { kind: 'meet'; meetingId: string; passcode?: string; url: string };

export interface ParseJoinLinkOptions {
  /** Tenants whose meetings may be joined (case-insensitive GUIDs). Undefined: any; an empty list: none. */
  allowedTenants?: string[];
}

export const MAX_JOIN_LINK_LENGTH = 2048;
export const MAX_CONTEXT_LENGTH = 1024;
const MAX_CONTEXT_KEYS = 8;
const MAX_EXTRA_PARAMS = 8;

const HOST = 'teams.microsoft.com';
const PREFIX = `https://${HOST}/`;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_GUID = '00000000-0000-0000-0000-000000000000';
const THREAD_ID = /^19:[A-Za-z0-9_-]{1,200}@thread\.(?:v2|skype|tacv2)$/;
const DIGITS = /^\d{1,20}$/;
const JOIN_MEETING_ID = /^\d{6,20}$/;
const PASSCODE = /^[A-Za-z0-9]{1,64}$/;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const PERCENT_ESCAPE = /%[0-9a-f]{2}/i;

export const JOIN_LINK_REASONS = {
  notTeams: 'the link is not a Teams meeting link',
  foreignTenant: 'the meeting belongs to another organization',
  tooLong: 'the link is too long to be a Teams meeting link',
  badCharacters: 'the link contains spaces, line breaks or other characters a Teams link never has',
  notCanonical: 'the link is not written the way Teams writes its links',
  doubleEncoded: 'the link is encoded twice',
  damaged: 'the link is damaged (broken %-encoding)',
  noContext: 'the link lacks the meeting details (its context part)',
  badContext: 'the meeting details in the link are not valid',
  bigContext: 'the meeting details in the link are too large',
  badThread: 'the link does not name a Teams meeting chat',
  badIds: 'the link does not carry a valid organization and organizer id',
  badMeetingId: 'the meeting id or passcode in the link is not valid',
} as const;

function reject(reason: string): never {
  throw new MeetingError('meetings/invalid-join-link', reason);
}

function decodeOnce(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return reject(JOIN_LINK_REASONS.damaged);
  }
  if (PERCENT_ESCAPE.test(decoded)) reject(JOIN_LINK_REASONS.doubleEncoded);
  return decoded;
}

/** The query as raw (still encoded) name/value pairs, in order. */
function rawParams(search: string): Array<[string, string]> {
  if (search === '' || search === '?') return [];
  const pairs = search.slice(1).split('&');
  if (pairs.length > MAX_EXTRA_PARAMS + 2) reject(JOIN_LINK_REASONS.notCanonical);
  return pairs.map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (!PARAM_NAME.test(name)) reject(JOIN_LINK_REASONS.notCanonical);
    return [name, eq < 0 ? '' : pair.slice(eq + 1)];
  });
}

function single(params: Array<[string, string]>, name: string, missing: string): string | undefined {
  const values = params.filter(([n]) => n === name).map(([, v]) => v);
  if (values.length > 1) reject(JOIN_LINK_REASONS.notCanonical);
  if (values.length === 0) return missing ? reject(missing) : undefined;
  return values[0];
}

interface MeetingContext {
  tenantId: string;
  organizerId: string;
  replyChainMessageId?: string;
}

function parseContext(raw: string): MeetingContext {
  if (raw.length > MAX_CONTEXT_LENGTH * 3) reject(JOIN_LINK_REASONS.bigContext);
  const text = decodeOnce(raw);
  if (text.length > MAX_CONTEXT_LENGTH) reject(JOIN_LINK_REASONS.bigContext);
  // Teams writes plain ASCII JSON without escapes; anything else is someone else's JSON.
  if (/[^\x20-\x7e]/.test(text) || text.includes('\\')) reject(JOIN_LINK_REASONS.badContext);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return reject(JOIN_LINK_REASONS.badContext);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) reject(JOIN_LINK_REASONS.badContext);
  // JSON.parse keeps the last of duplicate keys; a second "Tid" must not be able to override the first.
  // Without backslashes a JSON string cannot hold a quote, so this scan sees exactly the keys.
  const keys = [...text.matchAll(/"([^"]*)"\s*:/g)].map((m) => m[1]!.toLowerCase());
  if (keys.length > MAX_CONTEXT_KEYS || new Set(keys).size !== keys.length) reject(JOIN_LINK_REASONS.badContext);
  const ctx = parsed as Record<string, unknown>;
  for (const value of Object.values(ctx)) {
    const ok = typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= 128);
    if (!ok) reject(JOIN_LINK_REASONS.badContext);
  }
  const tid = ctx.Tid;
  const oid = ctx.Oid;
  if (typeof tid !== 'string' || typeof oid !== 'string' || !GUID.test(tid) || !GUID.test(oid) || tid === NIL_GUID || oid === NIL_GUID) {
    reject(JOIN_LINK_REASONS.badIds);
  }
  const out: MeetingContext = { tenantId: tid.toLowerCase(), organizerId: oid.toLowerCase() };
  if (ctx.MessageId !== undefined) {
    if (typeof ctx.MessageId !== 'string' || !DIGITS.test(ctx.MessageId)) reject(JOIN_LINK_REASONS.badContext);
    out.replyChainMessageId = ctx.MessageId;
  }
  return out;
}

/** Throws MeetingError('meetings/invalid-join-link') with a reason a person can read. */
export function parseJoinLink(input: string, options: ParseJoinLinkOptions = {}): JoinLink {
  if (typeof input !== 'string') reject(JOIN_LINK_REASONS.notTeams);
  // Surrounding spaces from a paste are harmless; any other whitespace or control character is not.
  const raw = input.replace(/^ +| +$/g, '');
  if (raw.length === 0) reject(JOIN_LINK_REASONS.notTeams);
  if (raw.length > MAX_JOIN_LINK_LENGTH) reject(JOIN_LINK_REASONS.tooLong);
  // The URL parser silently drops tabs and newlines and maps full-width letters to ASCII: refuse them first.
  if (/[^\x21-\x7e]/.test(raw)) reject(JOIN_LINK_REASONS.badCharacters);
  if (raw.includes('\\')) reject(JOIN_LINK_REASONS.badCharacters);
  if (raw.slice(0, PREFIX.length).toLowerCase() !== PREFIX) reject(JOIN_LINK_REASONS.notTeams);

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return reject(JOIN_LINK_REASONS.notTeams);
  }
  if (url.protocol !== 'https:' || url.hostname !== HOST || url.port !== '' || url.username !== '' || url.password !== '') {
    reject(JOIN_LINK_REASONS.notTeams);
  }
  if (url.hash !== '') reject(JOIN_LINK_REASONS.notCanonical);
  // Dot segments, %2e%2e and characters the parser had to escape all make href differ from what was given.
  if (url.href.slice(PREFIX.length) !== raw.slice(PREFIX.length)) reject(JOIN_LINK_REASONS.notCanonical);

  const parts = url.pathname.split('/');
  const params = rawParams(url.search);

  if (parts.length === 5 && parts[1] === 'l' && parts[2] === 'meetup-join') {
    const rawThread = parts[3]!;
    const rawMessage = parts[4]!;
    const threadId = decodeOnce(rawThread);
    if (!THREAD_ID.test(threadId)) reject(JOIN_LINK_REASONS.badThread);
    const messageId = decodeOnce(rawMessage);
    if (!DIGITS.test(messageId)) reject(JOIN_LINK_REASONS.badThread);
    const rawContext = single(params, 'context', JOIN_LINK_REASONS.noContext)!;
    const context = parseContext(rawContext);
    if (options.allowedTenants !== undefined) {
      const allowed = options.allowedTenants.map((t) => t.toLowerCase());
      if (!allowed.includes(context.tenantId)) reject(JOIN_LINK_REASONS.foreignTenant);
    }
    return {
      kind: 'meetup-join',
      threadId,
      messageId,
      tenantId: context.tenantId,
      organizerId: context.organizerId,
      ...(context.replyChainMessageId !== undefined ? { replyChainMessageId: context.replyChainMessageId } : {}),
      url: `${PREFIX}l/meetup-join/${rawThread}/${rawMessage}?context=${rawContext}`,
    };
  }

  if (parts.length === 3 && parts[1] === 'meet') {
    // A short link names no organization: the join runs in the app's own tenant.
    const meetingId = parts[2]!;
    if (!JOIN_MEETING_ID.test(meetingId)) reject(JOIN_LINK_REASONS.badMeetingId);
    const passcode = single(params, 'p', '');
    if (passcode !== undefined && !PASSCODE.test(passcode)) reject(JOIN_LINK_REASONS.badMeetingId);
    return {
      kind: 'meet',
      meetingId,
      ...(passcode !== undefined ? { passcode } : {}),
      url: `${PREFIX}meet/${meetingId}${passcode !== undefined ? `?p=${passcode}` : ''}`,
    };
  }

  return reject(JOIN_LINK_REASONS.notTeams);
}

/** A Teams meeting chat thread id (`19:…@thread.v2`, `…@thread.skype`, `…@thread.tacv2`). */
export function isMeetingThreadId(value: unknown): value is string {
  return typeof value === 'string' && THREAD_ID.test(value);
}

/** True for a string that parses as a join link (no reason given). */
export function isJoinLink(input: string, options: ParseJoinLinkOptions = {}): boolean {
  try {
    parseJoinLink(input, options);
    return true;
  } catch {
    return false;
  }
}
