// Keeps each call's card current: remembers which message shows which call, and replaces it in place whenever the
// call's state changes (ringing → connected → ended), instead of posting a new message per change.
import type { CallStateEvent, CallService } from '../comms/calls/index.js';
import { CALL_EVENTS } from '../comms/calls/index.js';
import type { Reminder } from '../comms/reminders/index.js';
import { REMINDER_EVENTS } from '../comms/reminders/index.js';
import type { CommsEvent, EventBus, Store } from '../comms/store/index.js';
import { asAttachment } from './cards/card-template.js';
import { callCard } from './cards/call-card.js';
import { reminderCard } from './cards/reminder-card.js';
import type { ViewerClock } from './cards/viewer-clock.js';
import type { Conversations } from './conversations.js';

export const CALL_CARDS = 'call-cards';
export const REMINDER_CARDS = 'reminder-cards';

export interface CardLink {
  conversationKey: string;
  activityId: string;
  who: string;
  connectedAt?: string;
  /** The viewer's time zone and locale, so an updated card keeps the clock the first one used. */
  clock?: ViewerClock;
  /** Shown while the call rings (local mode: where a person who answers by hand answers). */
  ringHint?: string;
}

export class LiveCards {
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribe?: () => void;

  constructor(
    private readonly deps: {
      bus: EventBus;
      store: Store;
      calls: CallService;
      conversations: Conversations;
      timeZone: string;
      logger: { warn(obj: object, msg?: string): void };
    },
  ) {}

  start(): void {
    this.unsubscribe = this.deps.bus.subscribe((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  async linkCall(callId: string, link: CardLink): Promise<void> {
    await this.deps.store.put(CALL_CARDS, callId, link);
  }

  async linkReminder(reminderId: string, link: Omit<CardLink, 'who'>): Promise<void> {
    await this.deps.store.put(REMINDER_CARDS, reminderId, link);
  }

  /** Waits for every pending card update (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private onEvent(event: CommsEvent): void {
    if (event.type === CALL_EVENTS.state) {
      this.serialize(`call:${event.callId}`, () => this.refreshCall(event));
    } else if (event.type === CALL_EVENTS.participants && event.unavailable) {
      // The roster is gone (the call became a group call): the card says so.
      this.serialize(`call:${event.callId}`, () => this.refreshCall(event));
    } else if (event.type === REMINDER_EVENTS.updated) {
      const reminder = event.reminder;
      this.serialize(`reminder:${reminder.id}`, () => this.refreshReminder(reminder));
    }
  }

  /** Updates of one card run in order, so a late "ringing" never overwrites "ended". */
  private serialize(key: string, work: () => Promise<void>): void {
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(work)
      .catch((err: Error) => this.deps.logger.warn({ key, message: err.message }, 'could not update a card'));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private async refreshCall(event: Pick<CallStateEvent, 'callId'>): Promise<void> {
    const link = await this.deps.store.get<CardLink>(CALL_CARDS, event.callId);
    if (!link) return;
    const call = await this.deps.calls.getCall(event.callId);
    if (!call) return;
    if (call.state === 'established' && !link.connectedAt) {
      link.connectedAt = call.updatedAt;
      await this.deps.store.put(CALL_CARDS, event.callId, link);
    }
    const card = callCard({ call, who: link.who, connectedAt: link.connectedAt, ringHint: link.ringHint });
    await this.deps.conversations.update(link.conversationKey, link.activityId, { attachments: [asAttachment(card)] });
  }

  private async refreshReminder(reminder: Reminder): Promise<void> {
    const link = await this.deps.store.get<CardLink>(REMINDER_CARDS, reminder.id);
    if (!link) return;
    await this.deps.conversations.update(link.conversationKey, link.activityId, { attachments: [asAttachment(reminderCard(reminder, link.clock ?? this.deps.timeZone))] });
  }
}
