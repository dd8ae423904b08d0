// The queue dashboard's API: the queues the signed-in user may see with their live status (GET), and the same as a
// server-sent event stream — a `snapshot` first, then a `queue` event with a queue's whole new status whenever it
// changes, a new `snapshot` when the front desk reloads. Authenticated like every tab route; a queue is shown to its
// agents only (the app has no tenant-admin notion to widen that). Streams are capped like the roster's.
import type { Request, Response, Server } from 'restify';
import { apiHandler, authenticate, type ApiLogger } from './api-handler.js';
import { holdEventStream, openEventStream } from './event-stream.js';
import { HEARTBEAT_MS, TAB_API } from './meeting-routes.js';
import type { QueueFeeds } from './queue-feeds.js';
import { StreamLimits } from './stream-limits.js';
import { TabError } from './tab-error.js';
import type { TabUser, UserTokenValidator } from './user-token.js';

export interface QueueRoutesDeps {
  validator: UserTokenValidator;
  /** undefined: this Switchboard runs no call queues (the routes answer 503 tab/unavailable). */
  feeds: QueueFeeds | undefined;
  log: (req: Request) => ApiLogger;
  heartbeatMs?: number;
  streamLimits?: StreamLimits;
}

/** All of a process's dashboards count as one "meeting" of the stream caps. */
const DASHBOARD = 'queue-dashboard';

export const QUEUE_STREAM_MESSAGES = {
  perUserPerMeeting: (cap: number) => `You already have ${cap} queue dashboards open: close one (another tab or window) and try again.`,
  perUser: (cap: number) => `You already have ${cap} live views open: close some tabs and try again.`,
  perMeeting: (cap: number) => `${cap} queue dashboards are open on this server already: try again in a moment.`,
};

export function registerQueueRoutes(server: Server, deps: QueueRoutesDeps): void {
  const auth = authenticate(deps.validator);
  const route = (handler: Parameters<typeof apiHandler>[1]) => apiHandler(deps.log, handler);
  const limits = deps.streamLimits ?? new StreamLimits({ messages: QUEUE_STREAM_MESSAGES });

  const running = (): QueueFeeds => {
    if (!deps.feeds) throw new TabError('tab/unavailable', 'Call queues are not running in this Switchboard: the dashboard has nothing to show.');
    return deps.feeds;
  };

  server.get(`${TAB_API}/queues`, auth, route(async ({ user }) => ({ body: await running().snapshot(user) })));

  server.get(`${TAB_API}/queues/stream`, auth, route(async ({ req, res, user }) => {
    const feeds = running();
    const release = limits.acquire(`${user.tenantId}/${user.userId}`, DASHBOARD);
    try {
      await stream(feeds, user, req, res);
    } finally {
      release();
    }
    return undefined;
  }));

  function stream(feeds: QueueFeeds, user: TabUser, req: Request, res: Response): Promise<void> {
    const writer = openEventStream(res);
    writer.comment('connected');
    // No ids: a reconnecting client gets a whole new snapshot, so there is no position to resume from.
    return holdEventStream(req, res, writer, deps.heartbeatMs ?? HEARTBEAT_MS, (end) =>
      feeds.subscribe(user, {
        snapshot: (snapshot) => writer.signal('snapshot', snapshot),
        queue: (status) => writer.signal('queue', status),
        end,
      }),
    );
  }
}
