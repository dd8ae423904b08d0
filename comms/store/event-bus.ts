// In-process publish/subscribe for state changes (calls, rosters, operations, tones), followed by the chat and the tab.
// A distributed deployment swaps this for a pub/sub-backed bus with the same shape.

export interface CommsEvent {
  type: string;
  at: string;
  [key: string]: unknown;
}

export type EventListener = (event: CommsEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  publish(event: Omit<CommsEvent, 'at'> & { at?: string }): void {
    const full = { ...event, at: event.at ?? new Date().toISOString() } as CommsEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(full);
      } catch {
        // One faulty listener must not stop delivery to the others, nor the publisher.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
