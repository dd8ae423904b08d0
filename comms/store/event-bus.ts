// The comms event bus: state changes (calls, rosters, operations, tones, records, reminders, the front desk) followed
// by the chat and the tab. Its event map is the union of each area's events: `on('call.tone', e => …)` and
// `switch (event.type)` narrow to the area's type without casts. In distributed mode a relay carries events to the
// other instances (cluster-scoped listeners only); they arrive as JSON, published with these same types.
import { TypedEventBus, type EventRelay, type Listener } from '../runtime/event-bus.js';
import type { Logger } from '../runtime/logger.js';
import type { CallEvent } from '../calls/call-events.js';
import type { MeetingEvent } from '../meetings/meeting-events.js';
import type { RecordEvent } from '../records/records-events.js';
import type { ReminderEvent } from '../reminders/reminder-events.js';
import type { IvrEvent } from '../ivr/ivr-events.js';
import type { QueueEvent } from '../queues/queue-events.js';
import type { PresenceEvent } from '../presence/presence-events.js';

/** Every event an area of comms/ publishes, without its publication time. */
export type AreaEvent = CallEvent | MeetingEvent | RecordEvent | ReminderEvent | IvrEvent | QueueEvent | PresenceEvent;

/**
 * An event as listeners get it: one of the areas' events with the time it was published. The union is exact: a
 * listener narrows by `type` before it reads a field (`event.callId` does not type-check on an event that may be a
 * roster diff). A new area declares its events in its own `<area>-events.ts` (a union of `{ type: '<area>.…' }`
 * types) and adds that union to AreaEvent above.
 */
export type CommsEvent = AreaEvent & { at: string };

export type CommsEventType = CommsEvent['type'];

/** The event of one type, as listeners get it. */
export type CommsEventOf<T extends CommsEventType> = Extract<CommsEvent, { type: T }>;

/** A type guard for filters: `events.filter(isEventOf('call.state'))` gives call.state events. */
export function isEventOf<T extends CommsEventType>(type: T): (event: CommsEvent) => event is CommsEventOf<T> {
  return (event): event is CommsEventOf<T> => event.type === type;
}

export type EventListener = Listener<CommsEvent>;

export class EventBus extends TypedEventBus<CommsEvent> {
  constructor(options: { logger?: Logger; relay?: EventRelay } = {}) {
    super(options);
  }
}
