// Shared by the tab's server and browser tests: a meeting the bot is in (organizer, a presenter, attendees), the
// emulated people's tab tokens (through the app's local-mode sign-in stand-in, as the browser gets them), JSON
// calls to the tab API, and a live stream read as the browser reads it.
import { request } from 'undici';
import { directoryIds, UPN, type PersonName } from '../e2e/people.js';
import { eventually, type LocalSwitchboard } from '../support/local-switchboard.js';

export interface TabMeeting {
  meetingKey: string;
  onlineMeetingId: string;
  ids: Record<PersonName, string>;
}

/** Mateo organizes; Amara presents; Priya and Jonas are invited attendees. The bot joins and is established. */
export async function meetingWithBot(app: LocalSwitchboard, subject = 'Quarterly planning'): Promise<TabMeeting> {
  const ids = await directoryIds(app);
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const meeting = await app.meetings.create({
    organizerId: ids.mateo,
    subject,
    start,
    end: new Date(start.getTime() + 3_600_000),
    attendees: [{ userId: ids.amara, role: 'presenter' }, { userId: ids.priya }, { userId: ids.jonas }],
  });
  const joined = await app.meetings.join({ meetingId: meeting.id, organizerId: ids.mateo });
  await eventually(async () => (await app.meetings.getRecord(joined.meetingKey))?.state === 'joined', 'the bot in the meeting');
  return { meetingKey: joined.meetingKey, onlineMeetingId: meeting.id, ids };
}

export async function tabToken(app: LocalSwitchboard, who: PersonName): Promise<string> {
  const res = await request(`${app.url}/api/tab/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: UPN[who] }) });
  const body = (await res.body.json()) as { accessToken: string };
  if (res.statusCode !== 200) throw new Error(`no tab token for ${who}: ${res.statusCode}`);
  return body.accessToken;
}

export async function tabJson(app: LocalSwitchboard, token: string | undefined, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(app.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.statusCode, body: parsed, headers: res.headers };
}

export function meetingPath(meetingKey: string, rest = ''): string {
  return `/api/tab/meetings/${encodeURIComponent(meetingKey)}${rest}`;
}

/** The emulator's truth about who is in a meeting. */
export async function emulatorPeople(app: LocalSwitchboard, meetingKey: string): Promise<Array<{ participantId: string; personId: string | null; displayName: string; isMuted: boolean }>> {
  const res = await app.emulatorJson('GET', `/emulator/meetings/${encodeURIComponent(meetingKey)}`);
  if (res.status !== 200) throw new Error(`no emulated meeting ${meetingKey}: ${res.status}`);
  return res.body.people;
}

export async function personJoins(app: LocalSwitchboard, meetingKey: string, who: PersonName): Promise<string> {
  const res = await app.emulatorJson('POST', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people`, { person: UPN[who] });
  if (res.status !== 201) throw new Error(`${who} could not join: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.participantId as string;
}

export async function personMutes(app: LocalSwitchboard, meetingKey: string, who: PersonName, muted = true): Promise<void> {
  const res = await app.emulatorJson('POST', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people/${UPN[who]}/mute`, { muted });
  if (res.status !== 200) throw new Error(`${who} could not mute: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function personLeaves(app: LocalSwitchboard, meetingKey: string, who: PersonName): Promise<void> {
  const res = await app.emulatorJson('DELETE', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people/${UPN[who]}`);
  if (res.status !== 200) throw new Error(`${who} could not leave: ${res.status} ${JSON.stringify(res.body)}`);
}

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export interface OpenSse {
  status: number;
  headers: Record<string, unknown>;
  messages: SseMessage[];
  /** The text as it arrived (comments included). */
  raw: string[];
  ended: Promise<void>;
  waitFor(find: (m: SseMessage[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens a tab event stream; `Parser` is the tab's own SSE parser (tab/web/sse-parser.ts, loaded with loadWebModule). */
export async function openSse(app: LocalSwitchboard, path: string, headers: Record<string, string>, Parser: new () => { push(text: string): SseMessage[] }): Promise<OpenSse> {
  const controller = new AbortController();
  const res = await request(app.url + path, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const parser = new Parser();
  const messages: SseMessage[] = [];
  const raw: string[] = [];
  const waiters = new Set<() => void>();
  res.body.setEncoding('utf8');
  const ended = new Promise<void>((resolve) => {
    res.body.on('data', (chunk: string) => {
      raw.push(chunk);
      messages.push(...parser.push(chunk));
      for (const wake of [...waiters]) wake();
    });
    for (const e of ['end', 'error', 'close']) res.body.on(e, () => resolve());
  });
  return {
    status: res.statusCode,
    headers: res.headers,
    messages,
    raw,
    ended,
    waitFor: (find, what, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages).slice(0, 600)}`));
        }, timeoutMs);
        const check = () => {
          if (!find(messages)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    close: async () => {
      controller.abort();
      await ended;
    },
  };
}
