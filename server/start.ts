// Composition root: config → comms → bot → restify. In local mode it first starts the embedded emulator and points
// every Microsoft endpoint at it; in cloud mode the same code runs against Microsoft. Returns a handle to stop it all.
import { join } from 'node:path';
import type { Server } from 'restify';
import { createAdapter } from '../bot/adapter.js';
import { registerCallingRoute } from '../bot/calling-route.js';
import { registerMessagesRoute } from '../bot/messages-route.js';
import { LiveCards } from '../bot/call-cards.js';
import { reportTakenOverMuteAll } from '../bot/mute-all-reports.js';
import { callCommand } from '../bot/commands/call.js';
import type { BotServices } from '../bot/commands/command.js';
import { callsHistoryCommand } from '../bot/commands/calls-history.js';
import { frontDeskCommand } from '../bot/commands/front-desk.js';
import { inviteCommand, joinCommand, leaveCommand, meetingCommand, muteCommand, rosterCommand } from '../bot/commands/meeting-commands.js';
import { presenceCommand } from '../bot/commands/presence.js';
import { hangUpCommand } from '../bot/commands/hang-up.js';
import { remindCommand } from '../bot/commands/remind.js';
import { remindersCommand } from '../bot/commands/reminders.js';
import { statusCommand } from '../bot/commands/status.js';
import { Conversations, loopbackServiceUrlAllowed, teamsServiceUrlAllowed } from '../bot/conversations.js';
import { CALL_RECORDS_NOTIFICATIONS_PATH, registerRecordsRoute } from '../bot/records-route.js';
import { registerMeetingCallEventsRoute } from '../bot/meeting-call-events-route.js';
import { createMeetingCallEvents } from './meeting-call-events.js';
import { TeamsBot } from '../bot/teams-bot.js';
import { queueCommand, queuesCommand, signCommand } from '../bot/commands/queues.js';
import { QueueOfferCards } from '../bot/queue-offer-cards.js';
import { MeetingService, type MeetingCallEventSubscriptions } from '../comms/meetings/index.js';
import { CallRecordsService } from '../comms/records/index.js';
import { CallService, createCallingTokenValidator, type CallDeadlines } from '../comms/calls/index.js';
import { createHttpTransport, createMsalTokenProvider, GraphClient, REQUIRED_APP_ROLES, type HttpTransport, type TokenProvider } from '../comms/graph/index.js';
import { FrontDesk, type CompiledFrontDesk, type IvrDeadlines } from '../comms/ivr/index.js';
import { lookupUser } from '../comms/people/index.js';
import { ReminderService } from '../comms/reminders/index.js';
import { QueueService } from '../comms/queues/index.js';
import { azureSpeechRecognizer, azureSpeechSynthesizer, loadEspeakSynthesizer, loadPocketsphinxRecognizer, PromptCache, PromptService, type SpeechSynthesizer } from '../comms/speech/index.js';
import { azureSentiment, localSentiment } from '../comms/understanding/index.js';
import { spokenReplyListener, type SpokenReplyListener } from '../comms/ivr/index.js';
import { EventBus, type Store } from '../comms/store/index.js';
import type { Scheduler } from '../comms/runtime/index.js';
import { sidePanelLink, startTabServer, type TabServer } from '../tab/server/index.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator/index.js';
import { LOCAL_APP, type Config } from './config.js';
import { openEmbeddedRuntime, openRedisRuntime, type Runtime } from './distributed.js';
import { connectExternalEmulator } from './external-emulator.js';
import { startLivePresence } from './live-presence.js';
import { emulatorRingHint } from './emulated-people.js';
import { registerHealthRoutes } from './health-routes.js';
import { bodyBytesOf, createHttpServer, jsonBody, requestLog } from './http-server.js';
import type { Logger } from './logger.js';
import { registerLegalRoutes } from './legal-routes.js';
import { Metrics, registerMetricsRoute, startMetricsServer, type MetricsServer } from './metrics/index.js';
import { PROMPTS_PATH, registerPromptsRoute } from './prompts-route.js';
import { bothObservers, graphSpanObserver, traceCallEvents, traceRequests, tracingActive } from './tracing/index.js';

/** Where the Microsoft side lives for this run. */
export interface MicrosoftEndpoints {
  graphBaseUrl: string;
  authorityUrl: string;
  knownAuthorities?: string[];
  extraCaPem?: string;
  callingOpenIdMetadataUrl: string;
  /** Hosts a recording may be downloaded from with its access token. */
  recordingHosts: string[];
  recordingLoopbackHosts: string[];
}

export const CLOUD_ENDPOINTS = (tenantId: string): MicrosoftEndpoints => ({
  graphBaseUrl: 'https://graph.microsoft.com/v1.0',
  authorityUrl: `https://login.microsoftonline.com/${tenantId}`,
  callingOpenIdMetadataUrl: 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
  recordingHosts: ['*.skype.com', '*.teams.microsoft.com', '*.communication.microsoft.com'],
  recordingLoopbackHosts: [],
});

export const LOCAL_ENDPOINTS = (emulator: Pick<RunningEmulator, 'url' | 'graphUrl' | 'authorityUrl' | 'caCertPem' | 'callingOpenIdMetadataUrl'>): MicrosoftEndpoints => ({
  graphBaseUrl: emulator.graphUrl,
  authorityUrl: emulator.authorityUrl,
  knownAuthorities: [new URL(emulator.url).host],
  extraCaPem: emulator.caCertPem,
  callingOpenIdMetadataUrl: emulator.callingOpenIdMetadataUrl,
  recordingHosts: [],
  // host:port — recordings come from the emulator's own port only, not from any loopback service.
  recordingLoopbackHosts: [new URL(emulator.url).host],
});

/** Issuers of the calling service's webhook tokens (Graph docs, call-notifications). */
export const CALLING_ISSUERS = ['https://graph.microsoft.com', 'https://api.botframework.com'];
const CALLING_BODY_LIMIT = 8 * 1024 * 1024; // a 1,000-person roster notification is a few hundred KB

export interface Switchboard {
  config: Config;
  /** The address the app listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  /** Base of URLs handed to Graph (callbackUri, prompts). */
  publicBaseUrl: string;
  emulator?: RunningEmulator;
  graph: GraphClient;
  store: Store;
  bus: EventBus;
  /** Embedded (one instance) or Redis (distributed mode). */
  runtime: Runtime;
  scheduler: Scheduler;
  calls: CallService;
  frontDesk: FrontDesk;
  prompts: PromptService;
  reminders: ReminderService;
  queues: QueueService;
  liveCards: LiveCards;
  meetings: MeetingService;
  /** Meetings' call events (beta meetingCallEvents); undefined when off (cloud mode without a certificate). */
  callEvents: MeetingCallEventSubscriptions | undefined;
  records: CallRecordsService;
  tab: TabServer;
  server: Server;
  metrics: Metrics;
  /** METRICS_PORT: /metrics alone on 127.0.0.1. */
  metricsServer?: MetricsServer;
  close(): Promise<void>;
}

export interface StartOverrides {
  /** Use this running emulator (local mode) instead of starting one; it is left running on close. */
  emulator?: RunningEmulator;
  /** Extra options for the embedded emulator (tests: faster media and notifications). */
  emulatorOptions?: Partial<EmulatorOptions>;
  /** keepAlive spacing (default 15 minutes; tests shorten it). */
  keepAliveIntervalMs?: number;
  /** How often reminders are checked, and the wait between unanswered attempts (tests shorten them). */
  reminders?: { tickMs?: number; retryDelayMs?: number; answerWaitMs?: number; adoptWindowMs?: number; promptTimeoutMs?: number };
  /** Call deadlines and retry limits, and IVR step deadlines (tests shorten them). */
  callDeadlines?: CallDeadlines;
  ivrDeadlines?: IvrDeadlines;
  /** Call-queue timing (tests shorten the presence poll). */
  queues?: { presencePollMs?: number; connectGraceMs?: number; promptTimeoutMs?: number };
}

export async function startSwitchboard(config: Config, logger: Logger, overrides: StartOverrides = {}): Promise<Switchboard> {
  const cleanups: Array<() => Promise<void> | void> = [];
  // Shutting down: /readyz says so at once, so a load balancer stops sending work while what started finishes.
  let draining = false;
  // Until every part has started (stored calls loaded and kept alive, the front desk loaded, queues, reminders,
  // meetings), /readyz says so: a load balancer sends nothing here that a part not yet listening would miss. The
  // stored calls' re-reading from Graph goes on after that (/readyz names its progress, without being unready).
  let started = false;
  const closeAll = async () => {
    draining = true;
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        logger.warn({ err }, 'cleanup step failed');
      }
    }
    cleanups.length = 0;
  };
  try {
    let emulator: RunningEmulator | undefined;
    let endpoints: MicrosoftEndpoints;
    let registerLocalWebhook: ((webhookUrl: string) => Promise<void>) | undefined;
    if (config.mode === 'local' && config.externalEmulator && !overrides.emulator) {
      // A local cluster: every instance uses one emulator started beside them.
      const external = await connectExternalEmulator(config.externalEmulator, config.dataDir, config.app.id);
      endpoints = external.endpoints;
      registerLocalWebhook = external.registerCallingWebhook;
    } else if (config.mode === 'local') {
      if (overrides.emulator) {
        emulator = overrides.emulator;
      } else {
        emulator = await startEmulator({
          port: config.emulator.port,
          dataDir: join(config.dataDir, 'emulator'),
          tenantId: LOCAL_APP.tenantId,
          apps: [{ clientId: LOCAL_APP.id, clientSecret: LOCAL_APP.secret, displayName: 'Switchboard (local)', roles: REQUIRED_APP_ROLES }],
          logger: logger.child({ component: 'emulator' }),
          peopleAnswer: config.emulator.peopleAnswer,
          peopleAnswerDelayMs: config.emulator.answerDelayMs,
          ...overrides.emulatorOptions,
        });
        const started = emulator;
        cleanups.push(() => started.close());
      }
      endpoints = LOCAL_ENDPOINTS(emulator);
    } else {
      endpoints = CLOUD_ENDPOINTS(config.app.tenantId);
    }

    const transport: HttpTransport = createHttpTransport({ extraCaPem: endpoints.extraCaPem, defaultTimeoutMs: config.graphTimeoutMs });
    cleanups.push(() => transport.close());
    const tokens: TokenProvider = createMsalTokenProvider({
      clientId: config.app.id,
      authorityUrl: endpoints.authorityUrl,
      credential: config.app.credential,
      knownAuthorities: endpoints.knownAuthorities,
      transport,
    });
    const metrics = new Metrics(logger.child({ component: 'metrics' }));
    cleanups.push(() => metrics.close());
    const graph = new GraphClient({ baseUrl: endpoints.graphBaseUrl, tokens, transport, timeoutMs: config.graphTimeoutMs, logger: logger.child({ component: 'graph' }), observer: tracingActive() ? bothObservers(metrics.graphObserver, graphSpanObserver(endpoints.graphBaseUrl)) : metrics.graphObserver });
    const runtime = config.redis ? await openRedisRuntime(config.redis.url, logger) : openEmbeddedRuntime(join(config.dataDir, 'switchboard.db'), logger);
    cleanups.push(() => runtime.close());
    const { scheduler } = runtime;
    const store = metrics.measureStore(runtime.store, runtime.kind);
    const bus = new EventBus({ logger: logger.child({ component: 'events' }), relay: runtime.relay });
    metrics.watch(bus, store);

    // Local mode (own or shared emulator): only the loopback Host, and state-changing requests only from the app,
    // the emulator or a local cluster's front.
    const trustedOrigins = [emulator?.url ?? config.externalEmulator?.url, config.localPublicUrl].flatMap((u) => (u ? [new URL(u).origin] : []));
    const server = createHttpServer(logger, { ...(config.mode === 'local' ? { local: { trustedOrigins } } : {}), onResponse: metrics.observeHttp });
    if (tracingActive()) traceRequests(server); // one span per request, the parent of what it starts
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.address().port}`;
    // Local mode: Graph (the emulator) calls us back on the loopback address we actually got.
    const publicBaseUrl = config.mode === 'local' ? (config.localPublicUrl ?? url) : config.publicBaseUrl;

    const prompts = new PromptService({
      cache: new PromptCache(config.promptCacheDir, undefined, runtime.kind === 'redis' ? store : undefined),
      baseUrl: `${publicBaseUrl}${PROMPTS_PATH}`,
      synthesizer: await chooseSynthesizer(config, transport),
      logger: logger.child({ component: 'speech' }),
    });
    const calls = new CallService({
      graph,
      store,
      bus,
      logger: logger.child({ component: 'calls' }),
      callbackUri: `${publicBaseUrl}/api/calling`,
      appId: config.app.id,
      tenantId: config.app.tenantId,
      transport,
      recordingHosts: endpoints.recordingHosts,
      recordingLoopbackHosts: endpoints.recordingLoopbackHosts,
      keepAliveIntervalMs: overrides.keepAliveIntervalMs ?? config.keepAliveIntervalMs,
      // keepAlive is a job on the runtime's durable timers: in memory (embedded), or in Redis for any instance to run.
      scheduler,
      deadlines: overrides.callDeadlines,
      ...(runtime.rosterLog ? { rosterLog: runtime.rosterLog } : {}),
    });
    // Call queues: the front desk hands callers to them; they read its queues (and speak its prompts) when they run.
    const queues: QueueService = new QueueService({
      calls, bus, store, graph, prompts, scheduler,
      frontDesk: (): CompiledFrontDesk | undefined => frontDesk.rules,
      promptAudio: (prompt, language) => frontDesk.promptAudio(prompt, language),
      logger: logger.child({ component: 'queues' }),
      ...(config.queuePresencePollMs ? { presencePollMs: config.queuePresencePollMs } : {}),
      ...overrides.queues,
    });
    metrics.watchQueues(() => queues.status());
    const listener = await chooseListener(config, transport, logger.child({ component: 'speech' }));
    const frontDesk = new FrontDesk({
      calls,
      bus,
      store,
      prompts,
      logger: logger.child({ component: 'front-desk' }),
      resolvePerson: async (ref) => {
        const user = await lookupUser(graph, ref);
        return user && { userId: user.id, displayName: user.displayName };
      },
      deadlines: overrides.ivrDeadlines,
      queues,
      listener,
      ...(runtime.instances ? { cluster: runtime.instances, scheduler } : {}),
    });
    const meetings = new MeetingService({
      graph, calls, bus, store, logger: logger.child({ component: 'meetings' }), tenantId: config.app.tenantId, allowedTenants: [config.app.tenantId],
      ...(runtime.instances ? { cluster: runtime.instances, scheduler } : {}),
    });
    const records = new CallRecordsService({
      graph,
      store,
      bus,
      logger: logger.child({ component: 'records' }),
      subscription: {
        notificationUrl: `${publicBaseUrl}${CALL_RECORDS_NOTIFICATIONS_PATH}`,
        lifecycleNotificationUrl: `${publicBaseUrl}${CALL_RECORDS_NOTIFICATIONS_PATH}`,
        ...(runtime.instances ? { instanceId: runtime.instances.instanceId } : {}),
      },
    });
    const reminders = new ReminderService({
      calls, bus, store, prompts, logger: logger.child({ component: 'reminders' }), ...overrides.reminders,
      ...(runtime.instances ? { cluster: runtime.instances } : {}),
    });
    const validator = createCallingTokenValidator({
      openIdMetadataUrl: endpoints.callingOpenIdMetadataUrl,
      issuers: CALLING_ISSUERS,
      audience: config.app.id,
      tenantId: config.app.type === 'SingleTenant' ? config.app.tenantId : undefined,
      transport,
    });

    const adapter = createAdapter(
      { mode: config.mode, appId: config.app.id, tenantId: config.app.tenantId, appType: config.app.type, credential: config.app.credential, extraCaPem: endpoints.extraCaPem },
      logger.child({ component: 'bot' }),
    );
    // Local mode's adapter runs without an app id (anonymous, as Bot Framework's local tools expect).
    const botAppId = config.mode === 'local' ? '' : config.app.id;
    const conversations = new Conversations(adapter, botAppId, store, config.mode === 'local' ? loopbackServiceUrlAllowed : teamsServiceUrlAllowed);
    // Local mode: the ringing card says "answer in the emulator console" for people who answer by hand there.
    const localEmulatorUrl = config.mode === 'local' ? emulator?.url ?? config.externalEmulator?.url : undefined;
    const liveCards = new LiveCards({ bus, store, calls, conversations, timeZone: config.timeZone, logger: logger.child({ component: 'cards' }) });
    const offerCards = new QueueOfferCards({ bus, store, conversations, logger: logger.child({ component: 'cards' }) });
    const services: BotServices = {
      graph,
      calls,
      reminders,
      frontDesk,
      queues,
      meetings,
      records,
      store,
      bus,
      conversations,
      tenantId: config.app.tenantId,
      enforceTenant: config.mode === 'cloud',
      timeZone: config.timeZone,
      now: () => new Date(),
      historyAdmins: config.historyAdmins,
      ...(config.pstn ? { pstn: config.pstn } : {}),
      ...(localEmulatorUrl ? { ringHint: emulatorRingHint(transport, localEmulatorUrl) } : {}),
    };
    const bot = new TeamsBot(services, [
      callCommand(liveCards),
      hangUpCommand(),
      remindCommand(liveCards),
      remindersCommand(),
      frontDeskCommand(),
      statusCommand(),
      joinCommand(),
      leaveCommand(),
      rosterCommand(),
      muteCommand(),
      inviteCommand(),
      meetingCommand((joinWebUrl) => sidePanelLink(config.mode, publicBaseUrl, joinWebUrl)),
      presenceCommand(),
      callsHistoryCommand(),
      queuesCommand(offerCards),
      queueCommand(offerCards),
      signCommand(offerCards),
    ]);
    if (tracingActive()) cleanups.push(traceCallEvents(bus, calls));
    registerHealthRoutes(server, {
      store, tokens, log: requestLog, draining: () => draining, starting: () => !started, reconciliation: () => calls.reconciliationStatus(),
      dependencies: () => ({ speech: speechHealth(prompts.engine, listener), subscriptions: records.subscriptions?.health() ?? { ok: true, detail: 'none configured' } }),
    });
    registerMetricsRoute(server, metrics, { mode: config.mode, token: config.metrics.token });
    const metricsServer = config.metrics.port !== undefined ? await startMetricsServer(metrics, config.metrics.port, logger) : undefined;
    if (metricsServer) cleanups.push(() => metricsServer.close());
    registerMessagesRoute(server, jsonBody(), adapter, bot, { requireBearer: config.mode === 'cloud', log: requestLog });
    registerCallingRoute(server, { validator, calls, parseBody: jsonBody(CALLING_BODY_LIMIT, undefined, { keepBytes: Boolean(runtime.rosterLog) }), bodyBytes: bodyBytesOf, log: requestLog });
    // Local mode: what a spoken prompt says goes with it, for the emulator console (never in the cloud).
    registerPromptsRoute(server, prompts.cache, config.mode === 'local' ? (id) => prompts.textOf(id) : undefined);
    registerLegalRoutes(server, config.dataDir);
    registerRecordsRoute(server, { records, parseBody: jsonBody() });
    // Live presence: delegated subscriptions with encrypted resource data, made on behalf of people signed in to the tab.
    const presence = await startLivePresence({
      mode: config.mode, app: config.app, dataDir: config.dataDir, publicBaseUrl, graphBaseUrl: endpoints.graphBaseUrl, authorityUrl: endpoints.authorityUrl,
      ...(endpoints.knownAuthorities ? { knownAuthorities: endpoints.knownAuthorities } : {}), transport, store, bus, logger: logger.child({ component: 'presence' }),
    });
    if (presence) cleanups.push(() => presence.stop());
    // Meetings' call events (beta meetingCallEvents, app-only, encrypted): the roster of a meeting the bot is not in.
    const callEvents = createMeetingCallEvents({
      mode: config.mode, app: config.app, dataDir: config.dataDir, publicBaseUrl, graphBaseUrl: endpoints.graphBaseUrl, authorityUrl: endpoints.authorityUrl,
      tokens, transport, store, bus, scheduler, meetings, logger: logger.child({ component: 'meetings' }), timeoutMs: config.graphTimeoutMs,
    });
    registerMeetingCallEventsRoute(server, { callEvents, parseBody: jsonBody(), logger: logger.child({ component: 'meetings' }) });
    const tab = startTabServer({
      server, mode: config.mode, appId: config.app.id, tenantId: config.app.tenantId, publicBaseUrl, authorityUrl: endpoints.authorityUrl, emulatorUrl: emulator?.url ?? config.externalEmulator?.url,
      transport, graph, store, bus, meetings, calls, prompts, records, reminders, queues, parseBody: jsonBody(16 * 1024), logger: logger.child({ component: 'tab' }), requestLog,
      ...(presence ? { presence } : {}), notificationBody: jsonBody(),
    });
    cleanups.push(() => tab.close()); // before the server closes: open roster streams would hold it

    emulator?.setCallingWebhook(config.app.id, `${publicBaseUrl}/api/calling`);
    await registerLocalWebhook?.(`${publicBaseUrl}/api/calling`);
    await scheduler.start();
    cleanups.push(() => scheduler.stop());
    await calls.start();
    cleanups.push(() => calls.stop());
    // Rules first: resuming menus that were running before a restart needs them.
    await frontDesk.load(config.frontDeskFile).catch((err: Error) => {
      logger.error({ path: config.frontDeskFile, message: err.message }, 'the front desk could not be loaded: incoming calls are declined until the file is fixed');
    });
    await frontDesk.start();
    cleanups.push(() => frontDesk.stop());
    frontDesk.watch(config.frontDeskFile);
    await queues.start();
    cleanups.push(() => queues.stop());
    await reminders.start();
    cleanups.push(() => reminders.stop());
    liveCards.start();
    cleanups.push(() => liveCards.stop());
    offerCards.start();
    cleanups.push(() => offerCards.stop());
    const offMuteAllReports = reportTakenOverMuteAll({ bus, conversations, logger: logger.child({ component: 'cards' }) });
    cleanups.push(async () => offMuteAllReports());
    await meetings.start();
    cleanups.push(() => meetings.stop());
    await callEvents?.start();
    if (callEvents) cleanups.push(async () => callEvents.stop());
    // The call-records subscription needs Graph to reach our webhook: a failure is reported, not fatal.
    await records.start().catch((err: Error & { code?: string }) => logger.error({ code: err.code, message: err.message }, 'call records: the subscription could not be created; call history will be empty until it can'));
    cleanups.push(() => records.stop());
    started = true;
    // Ready without waiting for Graph: the stored live calls are known and kept alive from the store; each is re-read
    // now, in the background (/readyz's `calls` says how far), and what moved while the app was down is applied like
    // a late notification. Closing waits for the re-reads in flight (calls.stop() ends the rest).
    const reconciled = calls.reconcile();
    cleanups.push(async () => {
      calls.stop();
      await reconciled;
    });

    return { config, url, publicBaseUrl, emulator, graph, store, bus, runtime, scheduler, calls, frontDesk, prompts, reminders, queues, liveCards, meetings, callEvents, records, tab, server, metrics, metricsServer, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** /readyz's `speech`: which engine speaks prompts and which hears replies; without either, what callers lose. */
function speechHealth(synthesizer: string, listener: SpokenReplyListener | undefined): { ok: boolean; detail: string } {
  const speaks = synthesizer === 'stock' ? 'no synthesizer: prompts are stock recordings (install espeak-ng or set AZURE_SPEECH_KEY)' : `prompts by ${synthesizer}`;
  const hears = listener ? `replies heard by ${listener.id}` : 'no recogniser: menus that listen take keys only (apt-get install pocketsphinx pocketsphinx-en-us, or set AZURE_SPEECH_KEY)';
  const ok = synthesizer !== 'stock' && listener !== undefined;
  return { ok, detail: `${ok ? 'ok' : 'degraded'}: ${speaks}; ${hears}` };
}

/** Who hears spoken replies: Azure Speech when configured, else the local PocketSphinx, else nobody (keys only). */
async function chooseListener(config: Config, transport: HttpTransport, logger: Logger): Promise<SpokenReplyListener | undefined> {
  const sentiment = config.speech.language ? azureSentiment({ ...config.speech.language, transport }) : localSentiment();
  if (config.speech.azure) return spokenReplyListener({ recognizer: azureSpeechRecognizer({ key: config.speech.azure.key, region: config.speech.azure.region, transport }), sentiment });
  const local = await loadPocketsphinxRecognizer({ logger });
  if (!local) {
    logger.warn({ code: 'speech/recognizer-unavailable' }, 'PocketSphinx is not installed: menus that listen take keys only (apt-get install pocketsphinx pocketsphinx-en-us, or set AZURE_SPEECH_KEY)');
    return undefined;
  }
  return spokenReplyListener({ recognizer: local, sentiment });
}

async function chooseSynthesizer(config: Config, transport: HttpTransport): Promise<SpeechSynthesizer | undefined> {
  if (config.speech.azure) return azureSpeechSynthesizer({ ...config.speech.azure, transport });
  return loadEspeakSynthesizer();
}
