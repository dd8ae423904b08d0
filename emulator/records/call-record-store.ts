// The call records the tenant has (kept 30 days, as Graph keeps them): by id, and in startDateTime order for the
// list. Tells listeners (callRecord subscriptions) about each new record.

import type { CallRecordParts } from './call-record-builder.js';

const RETENTION_MS = 30 * 24 * 3_600_000;
const MAX_RECORDS = 5_000;

export interface StoredRecord extends CallRecordParts {
  createdAt: string;
}

type Listener = (record: StoredRecord) => void;

export class CallRecordStore {
  private readonly records = new Map<string, StoredRecord>();
  private readonly listeners = new Set<Listener>();

  add(parts: CallRecordParts): StoredRecord {
    const stored: StoredRecord = { ...parts, createdAt: new Date().toISOString() };
    this.records.set(parts.id.toLowerCase(), stored);
    this.prune();
    for (const listener of this.listeners) {
      try {
        listener(stored);
      } catch {
        // one failing listener must not stop the others
      }
    }
    return stored;
  }

  get(id: string): StoredRecord | undefined {
    const record = this.records.get(id.toLowerCase());
    return record && Date.now() - Date.parse(record.createdAt) < RETENTION_MS ? record : undefined;
  }

  /** Oldest first by startDateTime (the list's order). */
  list(): StoredRecord[] {
    return [...this.records.values()]
      .filter((r) => Date.now() - Date.parse(r.createdAt) < RETENTION_MS)
      .sort((a, b) => Date.parse(a.startDateTime) - Date.parse(b.startDateTime));
  }

  /** Records read back from the emulator's saved state (start-up only): no listener is told. */
  restore(records: StoredRecord[]): void {
    for (const record of records) this.records.set(record.id.toLowerCase(), record);
    this.prune();
  }

  onAdded(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private prune(): void {
    if (this.records.size <= MAX_RECORDS) return;
    for (const record of this.list()) {
      if (this.records.size <= MAX_RECORDS) break;
      this.records.delete(record.id.toLowerCase());
    }
  }
}
