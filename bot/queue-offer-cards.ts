// The card an agent gets in chat when a queue offers them a caller ("Support queue — caller waited 2:14 — Accept"),
// kept current in place as the offer is answered, missed or taken by someone else. Agents get it in the personal
// chat where they last used a queue command (sign in, queue, queues): that is the conversation the bot may message.
import { QUEUE_EVENTS, type QueueOfferEvent } from '../comms/queues/index.js';
import type { EventBus, Store } from '../comms/store/index.js';
import { asAttachment } from './cards/card-template.js';
import { queueOfferCard, type OfferView } from './cards/queue-card.js';
import type { Conversations } from './conversations.js';

export const QUEUE_AGENT_CHATS = 'queue-agent-chats';
export const QUEUE_OFFER_CARDS = 'queue-offer-cards';

export interface OfferCardLink {
  conversationKey: string;
  activityId: string;
  view: OfferView;
}

export function offerCardKey(entryId: string, agentId: string): string {
  return `${entryId}|${agentId.toLowerCase()}`;
}

export class QueueOfferCards {
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribe?: () => void;

  constructor(
    private readonly deps: {
      bus: EventBus;
      store: Store;
      conversations: Conversations;
      logger: { warn(obj: object, msg?: string): void };
    },
  ) {}

  start(): void {
    this.unsubscribe = this.deps.bus.on(QUEUE_EVENTS.offer, (event) => this.serialize(offerCardKey(event.entryId, event.agentId), () => this.show(event)));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Where this agent's offer cards go (their personal chat with the bot). */
  async rememberAgent(userId: string, conversationKey: string): Promise<void> {
    await this.deps.store.put(QUEUE_AGENT_CHATS, userId.toLowerCase(), { conversationKey });
  }

  /** Waits for every pending card (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  /** Updates of one offer's card run in order, so a late "ringing" never overwrites "taken". */
  private serialize(key: string, work: () => Promise<void>): void {
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(work)
      .catch((err: Error) => this.deps.logger.warn({ key, message: err.message }, 'could not show a queue offer card'));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private async show(e: QueueOfferEvent): Promise<void> {
    const key = offerCardKey(e.entryId, e.agentId);
    const view: OfferView = { queue: e.queue, entryId: e.entryId, waitedSeconds: e.waitedSeconds, callback: e.callback, state: e.state, ...(e.callerName ? { callerName: e.callerName } : {}) };
    const link = await this.deps.store.get<OfferCardLink>(QUEUE_OFFER_CARDS, key);
    const attachments = [asAttachment(queueOfferCard(view))];
    // A new offer of the same caller (the agent missed them once and everyone else was tried) gets a new card.
    if (!link || (e.state === 'ringing' && link.view.state !== 'ringing')) {
      if (e.state !== 'ringing') return;
      const chat = await this.deps.store.get<{ conversationKey: string }>(QUEUE_AGENT_CHATS, e.agentId.toLowerCase());
      if (!chat) return;
      const activityId = await this.deps.conversations.send(chat.conversationKey, { type: 'message', attachments });
      if (activityId) await this.deps.store.put<OfferCardLink>(QUEUE_OFFER_CARDS, key, { conversationKey: chat.conversationKey, activityId, view });
      return;
    }
    // The waited time stays what it was when the agent was rung.
    const shown: OfferView = { ...view, waitedSeconds: link.view.waitedSeconds };
    await this.deps.conversations.update(link.conversationKey, link.activityId, { attachments: [asAttachment(queueOfferCard(shown))] });
    await this.deps.store.put<OfferCardLink>(QUEUE_OFFER_CARDS, key, { ...link, view: shown });
  }
}
