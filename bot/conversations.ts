// Conversation references for proactive messages (results that arrive later: a call ended, a reminder's outcome).
// Stored durably; only taken from activities the adapter accepted, and only for an allowed serviceUrl, because the
// bot's token is sent to that URL.
import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { CONVERSATIONS_COLLECTION } from '../comms/people/index.js';
import type { Store } from '../comms/store/index.js';

export class Conversations {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly store: Store,
    private readonly serviceUrlAllowed: (url: string) => boolean,
  ) {}

  /** Remembers where this turn came from; returns its key (the conversation id), or undefined when not allowed. */
  async remember(context: TurnContext): Promise<string | undefined> {
    const reference = TurnContext.getConversationReference(context.activity);
    if (!reference.conversation?.id || !reference.serviceUrl || !this.serviceUrlAllowed(reference.serviceUrl)) return undefined;
    await this.store.put(CONVERSATIONS_COLLECTION, reference.conversation.id, reference);
    return reference.conversation.id;
  }

  /** Sends an activity to a remembered conversation; returns the new activity id. */
  async send(key: string, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    await this.continue(key, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  /** Replaces a message the bot sent earlier (cards that update in place). */
  async update(key: string, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.continue(key, async (context) => {
      await context.updateActivity({ ...activity, id: activityId, type: 'message' });
    });
  }

  private async continue(key: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const reference = await this.store.get<Partial<ConversationReference>>(CONVERSATIONS_COLLECTION, key);
    if (!reference) throw new Error(`no conversation reference for ${key}`);
    await this.adapter.continueConversationAsync(this.appId, reference, logic);
  }
}

/** Teams' Bot Connector hosts (cloud) — the bot's token may only be sent to these. */
export function teamsServiceUrlAllowed(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    if (protocol !== 'https:') return false;
    return ['smba.trafficmanager.net', 'smba.infra.gov.teams.microsoft.us', 'botframework.com', 'botframework.azure.us'].some(
      (host) => hostname === host || hostname.endsWith(`.${host}`),
    );
  } catch {
    return false;
  }
}

/** Local mode: the emulator's connector or the Agents Playground, on loopback only (127.0.0.0/8, ::1, localhost). */
export function loopbackServiceUrlAllowed(url: string): boolean {
  try {
    // The WHATWG parser normalizes IPv4 spellings (127.1, 0x7f.0.0.1) and keeps userinfo out of hostname: it is the real host.
    const { protocol, hostname } = new URL(url);
    if (protocol !== 'http:' && protocol !== 'https:') return false;
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
  } catch {
    return false;
  }
}
