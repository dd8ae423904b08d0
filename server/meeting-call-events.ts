// Meeting call events' wiring: a Graph client on beta with the app's own token (meetingCallEvents is beta and
// application-only), the notification certificate live presence uses (local mode: made under the data folder; cloud
// mode: PRESENCE_CERTIFICATE_PATH — unset: call events are off, said once at start), the validationTokens verifier,
// and MeetingCallEventSubscriptions fed by MeetingService.
import { GraphClient, type HttpTransport, type TokenProvider } from '../comms/graph/index.js';
import { MeetingCallEventSubscriptions, type MeetingService } from '../comms/meetings/index.js';
import { CertificateKeyring } from '../comms/presence/index.js';
import type { Logger, Scheduler } from '../comms/runtime/index.js';
import type { EventBus, Store } from '../comms/store/index.js';
import { MEETING_CALL_EVENTS_PATH } from '../bot/meeting-call-events-route.js';
import { notificationCertificate, notificationVerifier, type LivePresenceInput } from './live-presence.js';

export interface MeetingCallEventsInput extends Pick<LivePresenceInput, 'mode' | 'app' | 'dataDir' | 'publicBaseUrl' | 'graphBaseUrl' | 'authorityUrl' | 'transport' | 'env'> {
  tokens: TokenProvider;
  transport: HttpTransport;
  store: Store;
  bus: EventBus;
  scheduler: Scheduler;
  meetings: MeetingService;
  logger: Logger;
  timeoutMs?: number;
}

/** Graph beta beside the configured v1.0 base (https://graph.microsoft.com/beta, or the emulator's /beta). */
export function betaBaseUrl(graphBaseUrl: string): string {
  return graphBaseUrl.replace(/\/v1\.0\/?$/, '/beta');
}

export function createMeetingCallEvents(input: MeetingCallEventsInput): MeetingCallEventSubscriptions | undefined {
  const certificate = notificationCertificate(input);
  if (!certificate) {
    input.logger.info({}, 'meeting call events: PRESENCE_CERTIFICATE_PATH is not set, so meetings\' call events are not followed (README › Meeting call events)');
    return undefined;
  }
  return new MeetingCallEventSubscriptions({
    betaGraph: new GraphClient({ baseUrl: betaBaseUrl(input.graphBaseUrl), tokens: input.tokens, transport: input.transport, logger: input.logger, ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}) }),
    store: input.store,
    bus: input.bus,
    scheduler: input.scheduler,
    logger: input.logger,
    notificationUrl: `${input.publicBaseUrl}${MEETING_CALL_EVENTS_PATH}`,
    certificates: async () => new CertificateKeyring(await certificate()),
    verifier: notificationVerifier(input),
    meetings: input.meetings,
  });
}
