// The bot POSTs its replies — with its token in cloud mode — to the serviceUrl an activity names. This wrapper around
// botbuilder's authentication refuses an activity whose serviceUrl is not allowed (401, before the adapter creates a
// connector client or runs any logic), and in cloud mode one whose token's `serviceurl` claim differs from it
// (botbuilder checks that only for channel tokens). Every connector client it hands out is guarded the same way, so
// proactive messages to a stored reference cannot reach another host either.
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';

const FORBIDDEN = 403;

export interface ServiceUrlPolicy {
  /** Is the bot allowed to send to this URL? */
  allowed(url: string): boolean;
  /** Cloud mode: the token's `serviceurl` claim must equal the activity's serviceUrl. */
  requireMatchingClaim: boolean;
}

export class ServiceUrlGuard extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly policy: ServiceUrlPolicy,
  ) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    // Checked before the token too: a refused URL costs no key fetch and reveals nothing about the token.
    this.check(activity.serviceUrl);
    const result = await this.inner.authenticateRequest(activity, authHeader);
    if (this.policy.requireMatchingClaim) {
      const claim = result.claimsIdentity.getClaimValue(AuthenticationConstants.ServiceUrlClaim);
      if (claim !== activity.serviceUrl) throw refused("the token's serviceurl claim does not match the activity's serviceUrl");
    }
    return { ...result, connectorFactory: result.connectorFactory && new GuardedConnectorFactory(result.connectorFactory, this) };
  }

  authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    // Streaming (named pipes, web sockets) carries no serviceUrl to check; Switchboard does not use it.
    return Promise.reject(refused('streaming connections are not accepted'));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new GuardedConnectorFactory(this.inner.createConnectorFactory(claimsIdentity), this);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  /** Throws AuthenticationError (the adapter answers 401) unless the URL is allowed. */
  check(serviceUrl: string | undefined): void {
    if (typeof serviceUrl !== 'string' || serviceUrl === '' || !this.policy.allowed(serviceUrl)) {
      throw refused("the activity's serviceUrl is not an allowed Bot Connector address");
    }
  }
}

class GuardedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly guard: ServiceUrlGuard,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    try {
      this.guard.check(serviceUrl);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.inner.create(serviceUrl, audience);
  }
}

function refused(reason: string): AuthenticationError {
  return new AuthenticationError(`Unauthorized: ${reason}`, FORBIDDEN);
}
