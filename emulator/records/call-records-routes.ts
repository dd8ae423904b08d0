// Graph call records (callrecords-callrecord-get, callrecords-cloudcommunications-list-callrecords, and the sessions /
// participants_v2 lists their nextLinks point at): $select, $expand=sessions($expand=segments) | participants_v2,
// paging with Prefer: odata.maxpagesize (sessions ≤ 60, participants ≤ 130, list default 60), $filter on
// startDateTime (lt, le, gt, ge) and participants_v2/any(p:p/id eq '…'). Permission: CallRecords.Read.All (application).

import type { Json } from '../calls/call-model.js';
import { headerValue } from '../http/http-types.js';
import type { GraphContext, GraphPermissions, GraphResult, GraphRoute } from '../graph/graph-area.js';
import { GraphError } from '../graph/graph-error.js';
import type { CallRecordStore, StoredRecord } from './call-record-store.js';

const READ: GraphPermissions = { application: ['CallRecords.Read.All'], delegated: [] };
const RECORD_TYPE = 'microsoft.graph.callRecords.callRecord';
const SELECTABLE = ['id', 'version', 'type', 'modalities', 'lastModifiedDateTime', 'startDateTime', 'endDateTime', 'joinWebUrl', 'organizer', 'participants', 'organizer_v2'];
export const MAX_SESSIONS_PAGE = 60;
export const MAX_PARTICIPANTS_PAGE = 130;
export const DEFAULT_LIST_PAGE = 60;

export function callRecordsRoutes(store: CallRecordStore): GraphRoute[] {
  const record = (ctx: GraphContext): StoredRecord => {
    const found = store.get(ctx.params.id!);
    if (!found) throw new GraphError(404, 'NotFound', `The call record '${ctx.params.id}' was not found (records exist once a call has ended, for 30 days).`);
    return found;
  };
  return [
    { method: 'GET', path: '/communications/callRecords', permissions: READ, handle: (ctx) => listRecords(store, ctx) },
    { method: 'GET', path: '/communications/callRecords/:id', permissions: READ, handle: (ctx) => getRecord(record(ctx), ctx) },
    { method: 'GET', path: '/communications/callRecords/:id/sessions', permissions: READ, handle: (ctx) => listSessions(record(ctx), ctx) },
    { method: 'GET', path: '/communications/callRecords/:id/participants_v2', permissions: READ, handle: (ctx) => listParticipants(record(ctx), ctx) },
  ];
}

function getRecord(stored: StoredRecord, ctx: GraphContext): GraphResult {
  const select = selectOption(ctx);
  const expand = expandOption(ctx);
  const prefs = preferences(ctx);
  const base = `${ctx.graphUrl}/communications/callRecords/${stored.id}`;
  const entitySet = `communications/callRecords('${stored.id}')`;
  const applied: string[] = [];
  const body: Json = {};
  const contextExpand = expand.sessions ? `(sessions(${expand.segments ? 'segments()' : ''}))` : expand.participants ? '(participants_v2())' : '';
  body['@odata.context'] = `${ctx.graphUrl}/$metadata#communications/callRecords${select ? `(${select.join(',')})` : contextExpand}/$entity`;
  for (const [key, value] of Object.entries(stored.record)) {
    if (select && !select.includes(key)) continue;
    if (key === 'organizer_v2') body['organizer_v2@odata.context'] = `${ctx.graphUrl}/$metadata#${entitySet}/organizer_v2/$entity`;
    body[key] = value;
  }
  if (!select) body['participants_v2@odata.context'] = `${ctx.graphUrl}/$metadata#${entitySet}/participants_v2/$entity`;
  if (expand.sessions) {
    const size = pageSize(prefs.maxPageSize, MAX_SESSIONS_PAGE, MAX_SESSIONS_PAGE, applied);
    const page = stored.sessions.slice(0, size).map((s) => (expand.segments ? s : withoutSegments(s)));
    body.sessions = page;
    if (stored.sessions.length > size) {
      body['sessions@odata.nextLink'] = `${base}/sessions?${expand.segments ? '$expand=segments&' : ''}$skiptoken=${token(size)}`;
    }
  }
  if (expand.participants) {
    const size = pageSize(prefs.maxPageSize, MAX_PARTICIPANTS_PAGE, MAX_PARTICIPANTS_PAGE, applied);
    body.participants_v2 = stored.participants.slice(0, size);
    if (stored.participants.length > size) body['participants_v2@odata.nextLink'] = `${base}/participants_v2?$skiptoken=${token(size)}`;
  }
  return finish(body, prefs, applied);
}

function listSessions(stored: StoredRecord, ctx: GraphContext): GraphResult {
  rejectUnknownOptions(ctx, ['$expand', '$skiptoken', '$select']);
  const expandText = option(ctx, '$expand');
  if (expandText !== undefined && expandText.trim().toLowerCase() !== 'segments') {
    throw new GraphError(400, 'BadRequest', `Could not find a property named '${expandText}' on type 'microsoft.graph.callRecords.session'.`);
  }
  const segments = expandText !== undefined;
  const prefs = preferences(ctx);
  const applied: string[] = [];
  const size = pageSize(prefs.maxPageSize, MAX_SESSIONS_PAGE, MAX_SESSIONS_PAGE, applied);
  const offset = skip(ctx);
  const body: Json = {
    '@odata.context': `${ctx.graphUrl}/$metadata#communications/callRecords('${stored.id}')/sessions${segments ? '(segments())' : ''}`,
    value: stored.sessions.slice(offset, offset + size).map((s) => (segments ? s : withoutSegments(s))),
  };
  if (offset + size < stored.sessions.length) {
    body['@odata.nextLink'] = `${ctx.graphUrl}/communications/callRecords/${stored.id}/sessions?${segments ? '$expand=segments&' : ''}$skiptoken=${token(offset + size)}`;
  }
  return finish(body, prefs, applied);
}

function listParticipants(stored: StoredRecord, ctx: GraphContext): GraphResult {
  rejectUnknownOptions(ctx, ['$skiptoken']);
  const prefs = preferences(ctx);
  const applied: string[] = [];
  const size = pageSize(prefs.maxPageSize, MAX_PARTICIPANTS_PAGE, MAX_PARTICIPANTS_PAGE, applied);
  const offset = skip(ctx);
  const body: Json = {
    '@odata.context': `${ctx.graphUrl}/$metadata#communications/callRecords('${stored.id}')/participants_v2`,
    value: stored.participants.slice(offset, offset + size),
  };
  if (offset + size < stored.participants.length) body['@odata.nextLink'] = `${ctx.graphUrl}/communications/callRecords/${stored.id}/participants_v2?$skiptoken=${token(offset + size)}`;
  return finish(body, prefs, applied);
}

function listRecords(store: CallRecordStore, ctx: GraphContext): GraphResult {
  rejectUnknownOptions(ctx, ['$filter', '$select', '$skiptoken']);
  const filter = option(ctx, '$filter');
  const matches = filter === undefined ? () => true : parseListFilter(filter);
  const select = selectOption(ctx);
  const prefs = preferences(ctx);
  const applied: string[] = [];
  const size = pageSize(prefs.maxPageSize, DEFAULT_LIST_PAGE, 1000, applied);
  const offset = skip(ctx);
  const all = store.list().filter(matches);
  const body: Json = {
    '@odata.context': `${ctx.graphUrl}/$metadata#communications/callRecords${select ? `(${select.join(',')})` : ''}`,
    value: all.slice(offset, offset + size).map((r) => project(r, select, ctx)),
  };
  if (offset + size < all.length) {
    const params = [...ctx.request.query].filter(([k]) => k.toLowerCase() !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    params.push(`$skiptoken=${token(offset + size)}`);
    body['@odata.nextLink'] = `${ctx.graphUrl}/communications/callRecords?${params.join('&')}`;
  }
  return finish(body, prefs, applied);
}

function project(stored: StoredRecord, select: string[] | undefined, ctx: GraphContext): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(stored.record)) {
    if (select && !select.includes(key)) continue;
    if (key === 'organizer_v2') out['organizer_v2@odata.context'] = `${ctx.graphUrl}/$metadata#communications/callRecords('${stored.id}')/organizer_v2/$entity`;
    out[key] = value;
  }
  return out;
}

/** startDateTime lt|le|gt|ge <date> joined with `and`, and participants_v2/any(p:p/id eq '<id>'). */
function parseListFilter(filter: string): (r: StoredRecord) => boolean {
  const tests: Array<(r: StoredRecord) => boolean> = [];
  for (const clause of filter.split(/\s+and\s+/i)) {
    const date = /^\s*startDateTime\s+(lt|le|gt|ge)\s+'?([0-9T:.\-+Z]+)'?\s*$/i.exec(clause);
    if (date) {
      const at = Date.parse(date[2]!);
      if (Number.isNaN(at)) throw new GraphError(400, 'BadRequest', `'${date[2]}' is not a date and time.`);
      const op = date[1]!.toLowerCase();
      tests.push((r) => {
        const t = Date.parse(r.startDateTime);
        return op === 'lt' ? t < at : op === 'le' ? t <= at : op === 'gt' ? t > at : t >= at;
      });
      continue;
    }
    const participant = /^\s*participants_v2\/any\(\s*(\w+)\s*:\s*\1\/id\s+eq\s+'([^']+)'\s*\)\s*$/i.exec(clause);
    if (participant) {
      const id = participant[2]!.toLowerCase();
      tests.push((r) => r.participantIds.some((p) => p.toLowerCase() === id));
      continue;
    }
    throw new GraphError(400, 'BadRequest', `Invalid filter clause '${clause.trim()}': call records filter on startDateTime (lt, le, gt, ge) and participants_v2/any(p:p/id eq '…') only.`);
  }
  return (r) => tests.every((t) => t(r));
}

function expandOption(ctx: GraphContext): { sessions: boolean; segments: boolean; participants: boolean } {
  const text = option(ctx, '$expand');
  const out = { sessions: false, segments: false, participants: false };
  if (text === undefined) return out;
  for (const part of splitTopLevel(text)) {
    const trimmed = part.trim();
    const sessions = /^sessions(?:\(\s*\$expand\s*=\s*segments\s*\))?$/i.exec(trimmed);
    if (sessions) {
      out.sessions = true;
      out.segments ||= /segments/i.test(trimmed);
    } else if (/^participants_v2$/i.test(trimmed)) {
      out.participants = true;
    } else {
      throw new GraphError(400, 'BadRequest', `Could not find a property named '${trimmed}' on type '${RECORD_TYPE}'.`);
    }
  }
  return out;
}

function selectOption(ctx: GraphContext): string[] | undefined {
  const text = option(ctx, '$select');
  if (text === undefined) return undefined;
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((name) => {
    const known = SELECTABLE.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!known) throw new GraphError(400, 'BadRequest', `Could not find a property named '${name}' on type '${RECORD_TYPE}'.`);
    return known;
  });
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function option(ctx: GraphContext, name: string): string | undefined {
  for (const [key, value] of ctx.request.query) if (key.toLowerCase() === name) return value;
  return undefined;
}

function rejectUnknownOptions(ctx: GraphContext, allowed: string[]): void {
  for (const key of ctx.request.query.keys()) {
    if (key.startsWith('$') && !allowed.includes(key.toLowerCase())) {
      throw new GraphError(400, 'BadRequest', `Query option '${key}' is not supported here (supported: ${allowed.join(', ')}).`);
    }
  }
}

interface Preferences {
  maxPageSize?: number;
  omitNulls: boolean;
}

/** The Prefer header: odata.maxpagesize=N and omit-values=nulls (include-unknown-enum-members changes nothing here). */
function preferences(ctx: GraphContext): Preferences {
  const header = headerValue(ctx.request, 'prefer') ?? '';
  const out: Preferences = { omitNulls: false };
  for (const part of header.split(',').map((p) => p.trim())) {
    const size = /^odata\.maxpagesize\s*=\s*(\d+)$/i.exec(part);
    if (size) out.maxPageSize = Number(size[1]);
    if (/^omit-values\s*=\s*nulls$/i.test(part)) out.omitNulls = true;
  }
  return out;
}

function pageSize(preferred: number | undefined, fallback: number, max: number, applied: string[]): number {
  if (preferred === undefined || preferred < 1) return fallback;
  const size = Math.min(preferred, max);
  if (!applied.some((a) => a.startsWith('odata.maxpagesize'))) applied.push(`odata.maxpagesize=${size}`);
  return size;
}

function finish(body: Json, prefs: Preferences, applied: string[]): GraphResult {
  const json = prefs.omitNulls ? withoutNulls(body) : body;
  if (prefs.omitNulls) applied.push('omit-values=nulls');
  return { status: 200, json, ...(applied.length ? { headers: { 'preference-applied': applied.join(',') } } : {}) };
}

function withoutNulls(value: unknown): any {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && !(Array.isArray(v) && v.length === 0)) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

function withoutSegments(session: Json): Json {
  const { segments: _segments, ...rest } = session;
  return rest;
}

function token(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function skip(ctx: GraphContext): number {
  const text = option(ctx, '$skiptoken');
  if (text === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw new GraphError(400, 'BadRequest', 'The $skiptoken is not valid: use the nextLink of the previous page as it is.');
}
