// What the local Bot Connector has seen: the chat conversations (personal chats, group/meeting chats, conversations
// the bot created for proactive messages) and every activity in both directions — what the emulator POSTed to the
// bot and what the bot sent, replied, updated or deleted — for the console and tests.

import type { Json } from '../calls/call-model.js';

export interface ChatConversation {
  id: string;
  kind: 'personal' | 'groupChat' | 'meeting';
  tenantId: string;
  /** Entra object ids of the people in the chat (a meeting chat adds whoever is in the meeting). */
  memberIds: string[];
  threadId?: string;
  appId?: string;
  createdBy: 'bot' | 'emulator';
  createdAt: string;
}

export interface ConnectorActivity {
  seq: number;
  time: string;
  conversationId: string;
  activityId: string;
  direction: 'to-bot' | 'from-bot';
  operation: 'send' | 'reply' | 'update' | 'delete' | 'create-conversation';
  appId?: string;
  replyToId?: string;
  type?: string;
  name?: string;
  text?: string;
  activity: Json | null;
  /** to-bot: the messaging endpoint's answer. */
  httpStatus?: number;
  outcome?: 'queued' | 'delivered' | 'refused' | 'failed';
  error?: string;
}

const MAX_ACTIVITIES = 5_000;

export class ConnectorStore {
  private readonly conversations = new Map<string, ChatConversation>();
  private readonly activities: ConnectorActivity[] = [];
  private seq = 0;

  conversation(id: string): ChatConversation | undefined {
    return this.conversations.get(id.toLowerCase());
  }

  addConversation(conversation: ChatConversation): ChatConversation {
    const existing = this.conversation(conversation.id);
    if (existing) return existing;
    this.conversations.set(conversation.id.toLowerCase(), conversation);
    return conversation;
  }

  listConversations(): ChatConversation[] {
    return [...this.conversations.values()];
  }

  record(entry: Omit<ConnectorActivity, 'seq' | 'time'>): ConnectorActivity {
    const activity = entry.activity;
    const full: ConnectorActivity = {
      seq: ++this.seq,
      time: new Date().toISOString(),
      ...entry,
      ...(activity && typeof activity.type === 'string' ? { type: activity.type } : {}),
      ...(activity && typeof activity.name === 'string' ? { name: activity.name } : {}),
      ...(activity && typeof activity.text === 'string' ? { text: activity.text } : {}),
    };
    this.activities.push(full);
    if (this.activities.length > MAX_ACTIVITIES) this.activities.splice(0, this.activities.length - MAX_ACTIVITIES);
    return full;
  }

  list(filter: { conversationId?: string | undefined; since?: number | undefined; direction?: string | undefined } = {}): ConnectorActivity[] {
    const conversation = filter.conversationId?.toLowerCase();
    return this.activities.filter((a) => a.seq > (filter.since ?? 0)
      && (conversation === undefined || a.conversationId.toLowerCase() === conversation)
      && (filter.direction === undefined || a.direction === filter.direction));
  }

  /** The latest record of an activity (its current content after updates). */
  findActivity(conversationId: string, activityId: string): ConnectorActivity | undefined {
    const conversation = conversationId.toLowerCase();
    for (let i = this.activities.length - 1; i >= 0; i--) {
      const a = this.activities[i]!;
      if (a.activityId === activityId && a.conversationId.toLowerCase() === conversation) return a;
    }
    return undefined;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Chats and recent activities read back from the emulator's saved state (start-up only); seq goes on from theirs. */
  restore(conversations: ChatConversation[], activities: ConnectorActivity[]): void {
    for (const conversation of conversations) this.addConversation(conversation);
    this.activities.push(...activities);
    for (const activity of activities) this.seq = Math.max(this.seq, activity.seq);
  }
}
