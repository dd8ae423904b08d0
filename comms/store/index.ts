// comms/store: durable state and the event bus.
export { type Store, type StoredItem, type StoreUpdate, StoreError } from './store.js';
export { openSqliteStore } from './sqlite-store.js';
export { openRedisStore } from './redis-store.js';
export { openAppendLog, type AppendLog, type LogRef, type LogRecord } from './append-log.js';
export { EventBus, isEventOf, type AreaEvent, type CommsEvent, type CommsEventOf, type CommsEventType, type EventListener } from './event-bus.js';
