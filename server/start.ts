// Composition root: config → comms → bot → restify. In local mode it first starts the embedded emulator and points
// every Microsoft endpoint at it; in cloud mode the same code runs against Microsoft. Returns a handle to stop it all.
import { join } from 'node:path';
import type { Server } from 'restify';
import { createAdapter } from '../bot/adapter.js';
import { registerMessagesRoute } from '../bot/messages-route.js';
import { TeamsBot } from '../bot/teams-bot.js';
import { createHttpTransport, createMsalTokenProvider, GraphClient, REQUIRED_APP_ROLES, type HttpTransport, type TokenProvider } from '../comms/graph/index.js';
import { EventBus, openSqliteStore, type Store } from '../comms/store/index.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { LOCAL_APP, type Config } from './config.js';
import { createHttpServer, jsonBody } from './http-server.js';
import type { Logger } from './logger.js';
import { registerHealthRoutes } from './health-routes.js';

/** Where the Microsoft side lives for this run. */
export interface MicrosoftEndpoints {
  graphBaseUrl: string;
  authorityUrl: string;
  knownAuthorities?: string[];
  extraCaPem?: string;
}

export const CLOUD_ENDPOINTS = (tenantId: string): MicrosoftEndpoints => ({
  graphBaseUrl: 'https://graph.microsoft.com/v1.0',
  authorityUrl: `https://login.microsoftonline.com/${tenantId}`,
});

export interface Switchboard {
  config: Config;
  /** The address the app listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  emulator?: RunningEmulator;
  graph: GraphClient;
  store: Store;
  bus: EventBus;
  server: Server;
  close(): Promise<void>;
}

export async function startSwitchboard(config: Config, logger: Logger): Promise<Switchboard> {
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.warn({ err }, 'cleanup step failed'));
  };
  try {
    let emulator: RunningEmulator | undefined;
    let endpoints: MicrosoftEndpoints;
    if (config.mode === 'local') {
      emulator = await startEmulator({
        port: config.emulator.port,
        dataDir: join(config.dataDir, 'emulator'),
        tenantId: LOCAL_APP.tenantId,
        apps: [{ clientId: LOCAL_APP.id, clientSecret: LOCAL_APP.secret, displayName: 'Switchboard (local)', roles: REQUIRED_APP_ROLES }],
        logger: logger.child({ component: 'emulator' }),
      });
      cleanups.push(() => emulator!.close());
      endpoints = {
        graphBaseUrl: emulator.graphUrl,
        authorityUrl: emulator.authorityUrl,
        knownAuthorities: [new URL(emulator.url).host],
        extraCaPem: emulator.caCertPem,
      };
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
    const graph = new GraphClient({
      baseUrl: endpoints.graphBaseUrl,
      tokens,
      transport,
      timeoutMs: config.graphTimeoutMs,
      logger: logger.child({ component: 'graph' }),
    });
    const store = openSqliteStore(join(config.dataDir, 'switchboard.db'));
    cleanups.push(() => store.close());
    const bus = new EventBus();

    const bot = new TeamsBot();
    const adapter = createAdapter(
      { mode: config.mode, appId: config.app.id, tenantId: config.app.tenantId, appType: config.app.type, credential: config.app.credential },
      logger.child({ component: 'bot' }),
    );

    const server = createHttpServer(logger);
    registerHealthRoutes(server, { store, tokens });
    registerMessagesRoute(server, jsonBody(), adapter, bot);

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;

    return { config, url, emulator, graph, store, bus, server, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
