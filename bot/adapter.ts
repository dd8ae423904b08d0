// The Bot Framework adapter. Cloud mode validates every inbound activity's JWT (botbuilder's CloudAdapter);
// local mode runs without an app id, so the chat endpoint is anonymous — it is bound to loopback only. Either way the
// bot only ever sends to an allowed serviceUrl (loopback in local mode, Teams' Bot Connector hosts in the cloud).
// In local mode the bot's replies to the emulator's Bot Connector trust the emulator's certificate explicitly (as the
// Graph transport does), so no NODE_EXTRA_CA_CERTS is needed.
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import type { ConnectorFactory } from 'botframework-connector';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { CertificateServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from 'pino';
import type { AppCredential } from '../comms/graph/index.js';
import { loopbackServiceUrlAllowed, teamsServiceUrlAllowed } from './conversations.js';
import { ServiceUrlGuard } from './service-url-guard.js';

export interface AdapterSettings {
  mode: 'local' | 'cloud';
  appId: string;
  tenantId: string;
  appType: 'SingleTenant' | 'MultiTenant';
  credential: AppCredential;
  /** Local mode: the emulator's certificate (PEM), trusted for the bot's requests to its Bot Connector. */
  extraCaPem?: string;
}

export function createAdapter(settings: AdapterSettings, logger: Logger): CloudAdapter {
  const authentication =
    settings.mode === 'local'
      ? new ServiceUrlGuard(trustingEmulator(new ConfigurationBotFrameworkAuthentication({}), settings.extraCaPem), { allowed: loopbackServiceUrlAllowed, requireMatchingClaim: false })
      : new ServiceUrlGuard(cloudAuthentication(settings), { allowed: teamsServiceUrlAllowed, requireMatchingClaim: true });
  const adapter = new CloudAdapter(authentication);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, activityType: context.activity.type, conversation: context.activity.conversation?.id }, 'unhandled error in a bot turn');
    if (context.activity.type === 'message') {
      await context
        .sendActivity(MessageFactory.text('Something went wrong on my side while handling that. Please try again; if it keeps happening, tell your admin the time it happened.'))
        .catch(() => undefined);
    }
  };
  return adapter;
}

/**
 * Local mode: the ConnectorClients this authentication makes send their https requests through an agent that trusts
 * the system roots plus the emulator's certificate (botbuilder offers no option for it: a pipeline policy is added
 * to each client it creates).
 */
function trustingEmulator(authentication: ConfigurationBotFrameworkAuthentication, extraCaPem: string | undefined): ConfigurationBotFrameworkAuthentication {
  if (!extraCaPem) return authentication;
  const agent = new Agent({ ca: [...rootCertificates, extraCaPem], keepAlive: true });
  const trusting = (factory: ConnectorFactory): ConnectorFactory => ({
    async create(serviceUrl: string, audience?: string) {
      const client = await factory.create(serviceUrl, audience);
      const pipeline = (client as unknown as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
      pipeline?.addPolicy({
        name: 'switchboard-trust-emulator',
        sendRequest: (request, next) => {
          if (request.url.startsWith('https:')) request.agent = agent;
          return next(request);
        },
      });
      return client;
    },
  });
  // Replies within a turn use the factory of the turn's authentication result; proactive messages make a new one.
  const authenticate = authentication.authenticateRequest.bind(authentication);
  authentication.authenticateRequest = async (activity, authHeader) => {
    const result = await authenticate(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: trusting(result.connectorFactory) } : result;
  };
  const createFactory = authentication.createConnectorFactory.bind(authentication);
  authentication.createConnectorFactory = (claims) => trusting(createFactory(claims));
  return authentication;
}

interface PipelineLike {
  addPolicy(policy: { name: string; sendRequest(request: { url: string; agent?: unknown }, next: (request: unknown) => Promise<unknown>): Promise<unknown> }): void;
}

function cloudAuthentication(settings: AdapterSettings): ConfigurationBotFrameworkAuthentication {
  const auth = {
    MicrosoftAppId: settings.appId,
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.tenantId,
  };
  if (settings.credential.kind === 'secret') {
    const factory = new ConfigurationServiceClientCredentialFactory({ ...auth, MicrosoftAppPassword: settings.credential.secret });
    return new ConfigurationBotFrameworkAuthentication(auth, factory);
  }
  const factory = new CertificateServiceClientCredentialsFactory(
    settings.appId,
    settings.credential.x5c ?? '',
    settings.credential.privateKeyPem,
    settings.tenantId,
  );
  return new ConfigurationBotFrameworkAuthentication(auth, factory);
}
