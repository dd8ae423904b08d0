// The side panel's API: the meeting with its roster (GET), its live diffs (GET …/stream, server-sent events resumable
// with Last-Event-ID), presence refreshes, and the controls (POST join, leave, mute, mute-all, invite, announce).
// Live presence: opening the stream or refreshing presence asks comms/presence to subscribe on the viewer's behalf
// (their token, on-behalf-of) to the roster's people; what those subscriptions hear arrives on the stream as
// `presence` events (not numbered: a reload reads presence afresh).
// Every route authenticates first, then lets only the meeting's people see it and only organizers and presenters
// control it; the work itself is MeetingControls' (and so comms/').
import type { Request, RequestHandler, Response, Server } from 'restify';
import { z } from 'zod';
import type { GraphClient } from '../../comms/graph/index.js';
import { PRESENCE_EVENTS, type PresenceSubscriptions } from '../../comms/presence/index.js';
import type { EventBus } from '../../comms/store/index.js';
import { apiHandler, authenticate, parseBody, type ApiContext, type ApiResult, type ApiLogger } from './api-handler.js';
import { holdEventStream, openEventStream } from './event-stream.js';
import { meetingAccess, type MeetingAccess } from '../../comms/meetings/index.js';
import type { MeetingControls } from './meeting-controls.js';
import type { MeetingFacts, MeetingFactsReader } from './meeting-facts.js';
import { meetingView, presenceFor } from './meeting-view.js';
import type { RosterFeeds } from './roster-feeds.js';
import { StreamLimits } from './stream-limits.js';
import { TabError } from './tab-error.js';
import type { TabUser, UserTokenValidator } from './user-token.js';

export const TAB_API = '/api/tab';
export const HEARTBEAT_MS = 15_000;
export const MAX_ANNOUNCEMENT = 300;

export interface MeetingRoutesDeps {
  validator: UserTokenValidator;
  facts: MeetingFactsReader;
  feeds: RosterFeeds;
  controls: MeetingControls;
  graph: GraphClient;
  parseBody: RequestHandler[];
  log: (req: Request) => ApiLogger;
  heartbeatMs?: number;
  /** Caps on open roster streams (default: StreamLimits' constants). */
  streamLimits?: StreamLimits;
  /** Live presence (delegated subscriptions); without it presence is only polled. */
  presence?: PresenceSubscriptions;
  bus?: EventBus;
}

const PARTICIPANT_ID = /^[A-Za-z0-9:._@-]{1,256}$/;
// A UPN or mail address: local@domain, nothing that could be a path or a filter.
const UPN = /^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,255}$/;

const emptyBody = z.object({}).strict();
const muteBody = z.object({ participantId: z.string().regex(PARTICIPANT_ID, 'a participant id') }).strict();
const inviteBody = z.object({ people: z.array(z.string().trim().regex(UPN, 'a UPN such as jonas@contoso.com')).min(1).max(20) }).strict();
const announceBody = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'say something')
      .max(MAX_ANNOUNCEMENT, `at most ${MAX_ANNOUNCEMENT} characters`)
      .refine((t) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(t), 'plain text only'),
  })
  .strict();

export function registerMeetingRoutes(server: Server, deps: MeetingRoutesDeps): void {
  const { log, feeds } = deps;
  const limits = deps.streamLimits ?? new StreamLimits();
  const auth = authenticate(deps.validator);
  const route = (handler: (ctx: ApiContext) => Promise<ApiResult>) => apiHandler(log, handler);
  const base = `${TAB_API}/meetings/:meetingKey`;

  async function memberOf(req: Request, user: TabUser): Promise<{ facts: MeetingFacts; access: MeetingAccess }> {
    const facts = await deps.facts.read(String(req.params.meetingKey));
    const access = meetingAccess(facts, user);
    if (!access.member) {
      throw new TabError('tab/not-a-participant', 'You are not in this meeting: only its organizer, the people invited to it and the people in it can see it.');
    }
    return { facts, access };
  }

  async function controllerOf(req: Request, user: TabUser): Promise<MeetingFacts> {
    const { facts, access } = await memberOf(req, user);
    if (!access.canControl) throw new TabError('tab/not-allowed', 'Only the meeting\'s organizer and presenters can do this.');
    return facts;
  }

  server.get(base, auth, route(async ({ req, user }) => {
    const requested = String(req.params.meetingKey);
    // The stream position is read before the roster: whatever changes in between is replayed (and is already in the
    // snapshot — the client skips diffs at or below its version), so nothing can fall in a gap.
    let lastEventId = feeds.position(requested);
    let { facts, access } = await memberOf(req, user);
    if (facts.meetingKey !== requested) {
      lastEventId = feeds.position(facts.meetingKey);
      ({ facts, access } = await memberOf(req, user));
    }
    return { body: await meetingView({ facts, access, user, graph: deps.graph, lastEventId, log: log(req) }) };
  }));

  /** Best effort, never awaited by the answer: the viewer's subscription covers the roster's people. */
  function watchPresence(req: Request, user: TabUser, facts: MeetingFacts): void {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const ids = (facts.roster?.entries ?? []).filter((e) => !e.isBot && e.userId).map((e) => e.userId!);
    if (deps.presence && token && ids.length > 0) void deps.presence.watch(user, token, ids);
  }

  server.get(`${base}/presence`, auth, route(async ({ req, user }) => {
    const { facts } = await memberOf(req, user);
    watchPresence(req, user, facts);
    return { body: { presence: await presenceFor(deps.graph, facts.roster?.entries ?? [], log(req)) } };
  }));

  server.get(`${base}/stream`, auth, route(async ({ req, res, user }) => {
    const { facts } = await memberOf(req, user);
    const header = req.headers['last-event-id'];
    const lastEventId = typeof header === 'string' && header.length > 0 && header.length <= 100 ? header : undefined;
    // Over a cap: 429 before anything opens (the panel retries with its backoff).
    const release = limits.acquire(`${user.tenantId}/${user.userId}`, facts.meetingKey);
    watchPresence(req, user, facts);
    try {
      await stream(facts, lastEventId, req, res, user);
    } finally {
      release(); // however the stream ended, its slot is free again
    }
    return undefined;
  }));

  function stream(facts: MeetingFacts, lastEventId: string | undefined, req: Request, res: Response, user: TabUser): Promise<void> {
    const writer = openEventStream(res);
    return holdEventStream(req, res, writer, deps.heartbeatMs ?? HEARTBEAT_MS, (end) => {
      let liveState = false;
      let open = true;
      const subscription = feeds.subscribe(facts.meetingKey, lastEventId, {
        send: (event, id) => {
          if (event.type === 'state') liveState = true;
          writer.send(event, id);
        },
        end,
      });
      if (subscription.replay === undefined) writer.signal('reset', { reason: 'The stream cannot resume from there: load the roster again.' });
      else for (const { event, id } of subscription.replay) writer.send(event, id);
      // Resumed from another instance's (or an earlier run's) position: the diffs came by version; the bot's state,
      // which has none, is sent as it stands now (read with the membership check just before) — and once more as it
      // stands after the subscription took hold, since a change between that read and the subscription reached
      // neither. A live state change that came first is newer than that read: then the read is dropped.
      if (subscription.byVersion) {
        const stateOf = (record: MeetingFacts['record']) => ({ state: record?.state ?? 'absent', ...(record?.callId ? { callId: record.callId } : {}) });
        const sent = stateOf(facts.record);
        writer.signal('state', sent);
        void deps.facts.read(facts.meetingKey).then((now) => {
          const current = stateOf(now.record);
          if (open && !liveState && (current.state !== sent.state || current.callId !== sent.callId)) writer.signal('state', current);
        }, () => undefined);
      }
      // Presence heard through this viewer's own subscription (from any instance of the cluster).
      const watcher = user.userId.toLowerCase();
      const stopPresence = deps.bus?.on(PRESENCE_EVENTS.changed, (e) => {
        if (e.watcherId.toLowerCase() === watcher) writer.signal('presence', { userId: e.userId, availability: e.availability, activity: e.activity });
      }, { scope: 'cluster' });
      writer.comment('connected');
      return () => {
        open = false;
        subscription.close();
        stopPresence?.();
      };
    });
  }

  server.post(`${base}/join`, auth, ...deps.parseBody, route(async ({ req, user }) => {
    const facts = await controllerOf(req, user);
    parseBody(emptyBody, req.body);
    const joined = await deps.controls.join(facts);
    deps.facts.forget(facts.meetingKey);
    return { status: joined.alreadyJoined ? 200 : 202, body: { state: joined.state, alreadyJoined: joined.alreadyJoined } };
  }));

  server.post(`${base}/leave`, auth, ...deps.parseBody, route(async ({ req, user }) => {
    const facts = await controllerOf(req, user);
    parseBody(emptyBody, req.body);
    const record = await deps.controls.leave(facts);
    return { status: 202, body: { state: record.state } };
  }));

  server.post(`${base}/mute`, auth, ...deps.parseBody, route(async ({ req, user }) => {
    const facts = await controllerOf(req, user);
    const { participantId } = parseBody(muteBody, req.body);
    await deps.controls.mute(facts, participantId);
    return { status: 202, body: { participantId, muted: true } };
  }));

  server.post(`${base}/mute-all`, auth, ...deps.parseBody, route(async ({ req, user }) => {
    const facts = await controllerOf(req, user);
    parseBody(emptyBody, req.body);
    const results = await deps.controls.muteAll(facts, user);
    return { body: { results, note: 'Graph cannot unmute others: people unmute themselves.' } };
  }));

  server.post(`${base}/invite`, auth, ...deps.parseBody, route(async ({ req, user }) => {
    const facts = await controllerOf(req, user);
    const { people } = parseBody(inviteBody, req.body);
    return { status: 202, body: await deps.controls.invite(facts, people) };
  }));

  server.post(`${base}/announce`, auth, ...deps.parseBody, route(async ({ req, user }) => {
    const facts = await controllerOf(req, user);
    const { text } = parseBody(announceBody, req.body);
    const played = await deps.controls.announce(facts, text);
    return { body: { played: true, ...played } };
  }));
}
