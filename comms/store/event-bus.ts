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

/** Every event an area of comms/ publishes, without its publication time. */
export type AreaEvent = CallEvent | MeetingEvent | RecordEvent | ReminderEvent | IvrEvent;

/**
 * An event as listeners get it: one of the areas' events with the time it was published. A field that a narrowed
 * type does not name reads as `unknown` (events are JSON; a listener that has not narrowed checks what it reads).
 */
export type CommsEvent = AreaEvent & { at: string; [key: string]: unknown };

export type CommsEventType = CommsEvent['type'];

export type EventListener = Listener<CommsEvent>;

export class EventBus extends TypedEventBus<CommsEvent> {
  constructor(options: { logger?: Logger; relay?: EventRelay } = {}) {
    super(options);
  }
}
