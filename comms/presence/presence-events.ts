// What comms/presence publishes: a presence that arrived live (a verified, decrypted change notification), for the
// person whose delegated subscription it came through (`watcherId`: only their streams show it).

export const PRESENCE_EVENTS = { changed: 'presence.changed' } as const;

export interface PresenceChangedEvent {
  type: typeof PRESENCE_EVENTS.changed;
  /** The signed-in user whose subscription heard it. */
  watcherId: string;
  tenantId: string;
  userId: string;
  availability: string;
  activity: string;
}

export type PresenceEvent = PresenceChangedEvent;
