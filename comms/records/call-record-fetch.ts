// Reading call records from Graph: one record with its sessions and segments (following the sessions next link in
// both spellings, `@odata.nextLink` and the older `@odata.nextlink`), and the list of recent records for a resync.
// A next link is only followed when it points back into the same Graph base URL: the app token never leaves for
// another host.
import { z } from 'zod';
import type { GraphClient } from '../graph/index.js';
import { RecordsError } from './records-error.js';

/** A callRecord as Graph answers it (loose: only what the summary reads is typed). */
export type CallRecordData = z.infer<typeof callRecordSchema> & { sessions: SessionData[] };
export type SessionData = z.infer<typeof sessionSchema>;

const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;
const MAX_PAGES = 50;
const MAX_ITEMS = 10_000;

const loose = z.record(z.string(), z.unknown());

export const sessionSchema = z
  .object({
    id: z.string().max(256).nullish(),
    modalities: z.array(z.string().max(64)).max(16).nullish(),
    startDateTime: z.string().max(64).nullish(),
    endDateTime: z.string().max(64).nullish(),
    caller: loose.nullish(),
    callee: loose.nullish(),
    segments: z.array(loose).max(MAX_ITEMS).nullish(),
  })
  .loose();

export const callRecordSchema = z
  .object({
    id: z.string().min(1).max(256),
    version: z.number().int().nullish(),
    type: z.string().max(64).nullish(),
    modalities: z.array(z.string().max(64)).max(16).nullish(),
    startDateTime: z.string().max(64).nullish(),
    endDateTime: z.string().max(64).nullish(),
    lastModifiedDateTime: z.string().max(64).nullish(),
    joinWebUrl: z.string().max(8192).nullish(),
    organizer: loose.nullish(),
    organizer_v2: loose.nullish(),
    participants: z.array(loose).max(MAX_ITEMS).nullish(),
    participants_v2: z.array(loose).max(MAX_ITEMS).nullish(),
    sessions: z.array(sessionSchema).max(MAX_ITEMS).nullish(),
  })
  .loose();

const pageSchema = z.object({ value: z.array(z.unknown()).max(MAX_ITEMS) }).loose();

export function checkRecordId(id: unknown): string {
  if (typeof id !== 'string' || !RECORD_ID.test(id)) throw new RecordsError('records/invalid-argument', 'a call record id is a GUID');
  return id;
}

function nextLinkOf(body: Record<string, unknown>, prefix = ''): string | undefined {
  const link = body[`${prefix}@odata.nextLink`] ?? body[`${prefix}@odata.nextlink`];
  return typeof link === 'string' && link.length > 0 ? link : undefined;
}

/**
 * A next link as a path under the client's base URL. The callrecord-get example prints its link with a stray
 * `$metadata#` (`…/v1.0/$metadata#communications/callRecords('…')/sessions?…`); that spelling is read as meant.
 */
export function graphPathOfLink(baseUrl: string, link: string): string {
  const base = new URL(baseUrl);
  let url: URL;
  try {
    url = new URL(link.replace('/$metadata#', '/'), base);
  } catch {
    throw new RecordsError('records/invalid-response', 'Graph gave a next link that is not a URL');
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !url.pathname.startsWith(`${basePath}/`) || url.username || url.password) {
    throw new RecordsError('records/invalid-response', 'Graph gave a next link outside its own address; it was not followed');
  }
  return url.pathname.slice(basePath.length) + url.search;
}

async function followPages(graph: GraphClient, first: string | undefined, into: unknown[], maxPages: number): Promise<void> {
  let next = first;
  for (let page = 0; next !== undefined; page += 1) {
    if (page >= maxPages || into.length >= MAX_ITEMS) throw new RecordsError('records/invalid-response', 'Graph kept paging past the limit');
    const body = await graph.get<unknown>(graphPathOfLink(graph.baseUrl, next));
    const parsed = pageSchema.safeParse(body);
    if (!parsed.success) throw new RecordsError('records/invalid-response', 'Graph answered a page that is not a list');
    into.push(...parsed.data.value);
    next = nextLinkOf(parsed.data as Record<string, unknown>);
  }
}

/** CallRecords.Read.All · callrecords-callrecord-get (`$expand=sessions($expand=segments)`, every sessions page). */
export async function fetchCallRecord(graph: GraphClient, recordId: string, options: { maxPages?: number } = {}): Promise<CallRecordData> {
  const id = checkRecordId(recordId);
  const body = await graph.get<unknown>(`/communications/callRecords/${encodeURIComponent(id)}?$expand=sessions($expand=segments)`);
  const parsed = callRecordSchema.safeParse(body);
  if (!parsed.success) throw new RecordsError('records/invalid-response', 'Graph answered with a call record that is not valid');
  const rawSessions: unknown[] = [...(parsed.data.sessions ?? [])];
  await followPages(graph, nextLinkOf(parsed.data as Record<string, unknown>, 'sessions'), rawSessions, options.maxPages ?? MAX_PAGES);
  const sessions: SessionData[] = [];
  for (const raw of rawSessions) {
    const s = sessionSchema.safeParse(raw);
    if (!s.success) throw new RecordsError('records/invalid-response', 'Graph answered with a call record session that is not valid');
    sessions.push(s.data);
  }
  return { ...parsed.data, sessions };
}

/**
 * CallRecords.Read.All · callrecords-cloudcommunications-list-callrecords — ids of records that started at or after
 * `since` (Graph keeps records 30 days), every page.
 */
export async function listCallRecordIds(graph: GraphClient, since: Date, options: { maxPages?: number } = {}): Promise<string[]> {
  if (!(since instanceof Date) || !Number.isFinite(since.getTime())) throw new RecordsError('records/invalid-argument', 'since must be a date');
  const body = await graph.get<unknown>(`/communications/callRecords?$filter=startDateTime%20ge%20${since.toISOString()}`);
  const parsed = pageSchema.safeParse(body);
  if (!parsed.success) throw new RecordsError('records/invalid-response', 'Graph answered a call record list that is not a list');
  const items: unknown[] = [...parsed.data.value];
  await followPages(graph, nextLinkOf(parsed.data as Record<string, unknown>), items, options.maxPages ?? MAX_PAGES);
  const ids = new Set<string>();
  for (const item of items) {
    const id = (item as { id?: unknown })?.id;
    if (typeof id === 'string' && RECORD_ID.test(id)) ids.add(id);
  }
  return [...ids];
}
