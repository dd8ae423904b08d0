// comms/store: durable state and the event bus.
export { type Store, type StoredItem, StoreError } from './store.js';
export { openSqliteStore } from './sqlite-store.js';
export { EventBus, type CommsEvent, type EventListener } from './event-bus.js';
