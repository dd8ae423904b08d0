// Durable state behind one interface: named collections of JSON documents keyed by string.
// The embedded default is SQLite (sqlite-store.ts); a distributed store implements the same interface.

export interface StoredItem<T> {
  key: string;
  value: T;
}

export interface Store {
  get<T>(collection: string, key: string): Promise<T | undefined>;
  put<T>(collection: string, key: string, value: T): Promise<void>;
  /** Writes only when the key is new; true when it wrote. The basis of idempotent notification handling. */
  putIfAbsent<T>(collection: string, key: string, value: T): Promise<boolean>;
  delete(collection: string, key: string): Promise<boolean>;
  list<T>(collection: string): Promise<Array<StoredItem<T>>>;
  /**
   * Atomic read-modify-write of one item: `change` gets the current value and returns the new one (undefined = leave
   * it). Safe across instances sharing the store (compare-and-set, retried on a concurrent write), so `change` must be
   * pure and may run more than once.
   */
  update<T>(collection: string, key: string, change: (current: T | undefined) => T | undefined): Promise<StoreUpdate<T>>;
  /** Throws when the store cannot serve requests (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreUpdate<T> {
  previous: T | undefined;
  value: T | undefined;
  /** False when `change` returned undefined (nothing written). */
  written: boolean;
}

export class StoreError extends Error {
  readonly code: 'store/unavailable' | 'store/corrupt';
  constructor(code: 'store/unavailable' | 'store/corrupt', message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StoreError';
    this.code = code;
  }
}
