// Puts the tab together: the user-token validator for this mode, the meeting facts reader, the per-meeting live
// feeds, the queue dashboards' feed, the controls, and every route (pages, assets, the side panel's, the personal
// tab's and the queue dashboard's API, and the local-mode sign-in stand-in). Returns a handle to end the live streams
// (before the HTTP server closes) and for tests.
import type { Request, RequestHandler, Server } from 'restify';
import type { CallService } from '../../comms/calls/index.js';
import type { GraphClient, HttpTransport } from '../../comms/graph/index.js';
import type { MeetingService } from '../../comms/meetings/index.js';
import type { CallRecordsService } from '../../comms/records/index.js';
import type { ReminderService } from '../../comms/reminders/index.js';
import type { QueueService } from '../../comms/queues/index.js';
import type { PresenceSubscriptions } from '../../comms/presence/index.js';
import type { PromptService } from '../../comms/speech/index.js';
import type { EventBus, Store } from '../../comms/store/index.js';
import type { ApiLogger } from './api-handler.js';
import { registerDevRoutes } from './dev-routes.js';
import { registerHistoryRoutes } from './history-routes.js';
import { MeetingControls } from './meeting-controls.js';
import { MeetingFactsReader } from './meeting-facts.js';
import { registerMeetingRoutes } from './meeting-routes.js';
import { registerPageRoutes } from './page-routes.js';
import { registerPresenceRoutes } from './presence-routes.js';
import { QueueFeeds } from './queue-feeds.js';
import { registerQueueRoutes } from './queue-routes.js';
import { RosterFeeds } from './roster-feeds.js';
import { userTokenOptions } from './tab-identity.js';
import { createUserTokenValidator } from './user-token.js';
import { loadWebAssets, type WebAssets } from './web-assets.js';

export interface TabLogger extends ApiLogger {
  info(obj: object, msg?: string): void;
}

export interface TabServerDeps {
  server: Server;
  mode: 'local' | 'cloud';
  appId: string;
  tenantId: string;
  publicBaseUrl: string;
  /** Where user tokens come from: the emulator's authority in local mode (cloud: Entra, from the tenant). */
  authorityUrl: string;
  /** The emulator's base URL (local mode: the sign-in stand-in uses it). */
  emulatorUrl?: string;
  transport: HttpTransport;
  graph: GraphClient;
  store: Store;
  bus: EventBus;
  meetings: MeetingService;
  calls: CallService;
  prompts: PromptService;
  records: CallRecordsService;
  reminders: ReminderService;
  /** The call queues (the queue dashboard); without them its routes answer 503. */
  queues?: QueueService;
  parseBody: RequestHandler[];
  logger: TabLogger;
  /** Per-request logger (carries the request id); default: `logger`. */
  requestLog?: (req: Request) => ApiLogger;
  /** Live presence through delegated subscriptions (undefined: presence is polled only). */
  presence?: PresenceSubscriptions;
  /** The body parser for Graph's change notifications (batches are bigger than the tab's requests); default parseBody. */
  notificationBody?: RequestHandler[];
  /** Override where the built bundles are read from (tests). */
  assets?: WebAssets;
}

export interface TabServer {
  feeds: RosterFeeds;
  /** The queue dashboards' live feed (undefined without call queues). */
  queueFeeds: QueueFeeds | undefined;
  /** Ends every open roster and queue stream: clients reconnect (rosters resume with Last-Event-ID, queues get a new snapshot). */
  disconnectStreams(): void;
  close(): void;
}

export function startTabServer(deps: TabServerDeps): TabServer {
  const { server, logger } = deps;
  const log = deps.requestLog ?? (() => logger);
  let assets = deps.assets;
  if (!assets) {
    try {
      assets = loadWebAssets();
    } catch (err) {
      logger.warn({ message: (err as Error).message }, 'tab: the browser bundles are missing (run npm run build); the tab pages answer 503 until then');
    }
  }
  const validator = createUserTokenValidator(userTokenOptions(deps));
  const feeds = new RosterFeeds(deps.bus);
  feeds.start();
  const facts = new MeetingFactsReader({ meetings: deps.meetings, graph: deps.graph, store: deps.store, logger });
  const queueFeeds = deps.queues && new QueueFeeds(deps.bus, deps.queues, { logger });
  queueFeeds?.start();
  const controls = new MeetingControls({ meetings: deps.meetings, calls: deps.calls, prompts: deps.prompts, graph: deps.graph, logger });

  registerPageRoutes(server, { assets, mode: deps.mode });
  registerMeetingRoutes(server, { validator, facts, feeds, controls, graph: deps.graph, parseBody: deps.parseBody, log, bus: deps.bus, ...(deps.presence ? { presence: deps.presence } : {}) });
  registerPresenceRoutes(server, { presence: deps.presence, parseBody: deps.notificationBody ?? deps.parseBody, log });
  registerHistoryRoutes(server, { validator, records: deps.records, reminders: deps.reminders, store: deps.store, graph: deps.graph, calls: deps.calls, meetings: deps.meetings, mode: deps.mode, log });
  registerQueueRoutes(server, { validator, feeds: queueFeeds, log });
  registerDevRoutes(server, { mode: deps.mode, emulatorUrl: deps.emulatorUrl, appId: deps.appId, transport: deps.transport, parseBody: deps.parseBody });

  return {
    feeds,
    queueFeeds,
    disconnectStreams: () => {
      feeds.disconnectAll();
      queueFeeds?.disconnectAll();
    },
    close: () => {
      feeds.stop();
      queueFeeds?.stop();
    },
  };
}
