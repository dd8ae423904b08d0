// The Bot Framework adapter. Cloud mode validates every inbound activity's JWT (botbuilder's CloudAdapter);
// local mode runs without an app id, so the chat endpoint is anonymous — it is bound to loopback only. Either way the
// bot only ever sends to an allowed serviceUrl (loopback in local mode, Teams' Bot Connector hosts in the cloud).
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
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
}

export function createAdapter(settings: AdapterSettings, logger: Logger): CloudAdapter {
  const authentication =
    settings.mode === 'local'
      ? new ServiceUrlGuard(new ConfigurationBotFrameworkAuthentication({}), { allowed: loopbackServiceUrlAllowed, requireMatchingClaim: false })
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
