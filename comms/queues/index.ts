// comms/queues: call queues — callers wait with music and announcements, free agents are offered their calls by
// presence, overflow and timeouts take their actions, and callers may be called back instead of waiting.
export { QueueService, type QueueServiceOptions, type EnqueueOptions, type EnqueueOutcome } from './queue-service.js';
export { QUEUE_EVENTS, type QueueEvent, type QueueChangedEvent, type QueueOfferEvent, type QueueChange, type OfferState } from './queue-events.js';
export type { QueueStatus, WaitingCaller, QueueAgentStatus, QueueDayStats, CallerState, CallerHearing, AgentState } from './queue-status.js';
export { QueueError, type QueueErrorCode } from './queue-error.js';
export { enqueueActionSchema, queueSectionSchema, ROUTING_METHODS, type RoutingMethod, type EnqueueAction, type QueueConfigOf, type QueueActionOf } from './queue-schema.js';
