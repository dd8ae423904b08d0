// POST /api/notifications/meeting-call-events: Graph's change notifications for meetings' call events (beta
// meetingCallEvents). A validation request (?validationToken=…) is echoed as text/plain; a delivery is answered 202 at
// once — before anything is checked, as Graph asks for notifications with resource data — and only then checked
// fail-closed by comms/meetings (validationTokens, clientState, certificate, signature); what fails is dropped and
// logged without its tokens or content.
import type { Request, RequestHandler, Response, Server } from 'restify';
import type { MeetingCallEventSubscriptions } from '../comms/meetings/index.js';
import { describeError, type Logger } from '../comms/runtime/index.js';
import { validationEcho } from './records-route.js';

export const MEETING_CALL_EVENTS_PATH = '/api/notifications/meeting-call-events';

export interface MeetingCallEventsRouteDeps {
  /** Undefined when meeting call events are off (no certificate): deliveries are acknowledged and dropped. */
  callEvents: MeetingCallEventSubscriptions | undefined;
  parseBody: RequestHandler[];
  logger: Logger;
}

export function registerMeetingCallEventsRoute(server: Server, deps: MeetingCallEventsRouteDeps): void {
  server.post(MEETING_CALL_EVENTS_PATH, validationEcho, ...deps.parseBody, (req: Request, res: Response, next) => {
    const body: unknown = req.body;
    res.send(202);
    next(false);
    if (!deps.callEvents) {
      deps.logger.warn({}, 'meeting call events: a change notification arrived but they are off; dropped');
      return;
    }
    deps.callEvents.receive(body).catch((err: unknown) => deps.logger.warn(describeError(err), 'meeting call events: a change notification could not be handled; dropped'));
  });
}
