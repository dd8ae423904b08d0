// The comms event bus: state changes (calls, rosters, operations, tones, records) followed by the chat and the tab.
// It is the typed bus of comms/runtime over the loose CommsEvent shape; `on(type, …)` narrows with the event maps of
// each area. In distributed mode a relay carries events to the other instances (cluster-scoped listeners only).
import { TypedEventBus, type EventRelay, type Listener } from '../runtime/event-bus.js';
import type { Logger } from '../runtime/logger.js';

export interface CommsEvent {
  type: string;
  at: string;
  [key: string]: unknown;
}

export type EventListener = Listener<CommsEvent>;

export class EventBus extends TypedEventBus<CommsEvent> {
  constructor(options: { logger?: Logger; relay?: EventRelay } = {}) {
    super(options);
  }
}
