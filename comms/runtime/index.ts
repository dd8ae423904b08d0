// comms/runtime: the seams every other part of comms/ uses — clock and timers, the logger type, the per-key lock,
// the base error, the typed event bus and durable timers — each with an embedded and a distributed implementation —
// and traces through the OpenTelemetry API (no-ops unless server/ registers a provider).
export { systemClock, systemTimers, type Clock, type TimerHandle, type Timers } from './clock.js';
export { silentLogger, type Logger } from './logger.js';
export { KeyedLock } from './keyed-lock.js';
export { forEachBounded } from './bounded-parallel.js';
export { CommsError, describeError, warnOnFailure } from './errors.js';
export { TypedEventBus, type BusEvent, type EventRelay, type EventScope, type Listener, type Publishable } from './event-bus.js';
export { EmbeddedScheduler, type JobHandler, type ScheduledJob, type Scheduler } from './scheduler.js';
export { RedisScheduler } from './redis-scheduler.js';
export { RedisEventRelay } from './redis-relay.js';
export { RedisInstanceRegistry, type InstanceRegistry } from './instances.js';
export { CallTraces, inSpan, tracer, TRACE_ATTRIBUTES, TRACER_NAME } from './tracing.js';
