// An emulated person chatting with the bot without a Teams client: their message becomes a Teams `message` activity
// POSTed to the app's messaging endpoint — in a meeting chat, a group chat, or their personal chat with the bot.
// Out of the box (no endpoint registered), chat goes to /api/messages beside the app's calling webhook — where an
// Azure Bot registration usually puts both; meeting events still need the endpoint registered explicitly.

import { EmulatorError } from '../emulator-error.js';
import type { AppRegistry, RegisteredApp } from '../identity/app-registry.js';
import type { MeetingRooms } from '../meetings/meeting-rooms.js';
import type { BotMessenger } from './bot-messenger.js';
import type { ChatConversation, ConnectorActivity, ConnectorStore } from './connector-store.js';
import { messageActivity } from './teams-activities.js';
import { personalConversationId, type ActivityIds } from './teams-ids.js';

export interface ChatServiceDeps {
  store: ConnectorStore;
  messenger: BotMessenger;
  ids: ActivityIds;
  rooms: MeetingRooms;
  apps: AppRegistry;
  serviceUrl: string;
  tenantId: string;
}

/** The conversation id that means "this person's personal chat with the bot". */
export const PERSONAL = 'personal';

export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  send(conversationId: string, person: string, text: string, appId?: string): ConnectorActivity {
    const user = this.deps.rooms.person(person);
    if (!user) throw new EmulatorError('emulator/unknown-person', `There is no emulated person '${person}': GET /emulator/people lists them.`, 404);
    const app = this.app(appId);
    const chat = this.chat(conversationId, user.id, app);
    if (chat.kind === 'personal' && !chat.memberIds.some((id) => id.toLowerCase() === user.id.toLowerCase())) {
      throw new EmulatorError('emulator/not-a-member', `${user.displayName} is not in the personal chat '${chat.id}'.`, 409);
    }
    const activity = messageActivity(
      { serviceUrl: this.deps.serviceUrl, tenantId: this.deps.tenantId, appId: app.clientId, appName: app.displayName },
      this.deps.ids.next(),
      chat,
      user,
      text,
    );
    return this.deps.messenger.post(app.messagingEndpointUrl ?? besideCallingWebhook(app.callingWebhookUrl)!, app.clientId, chat.id, activity);
  }

  private app(appId: string | undefined): RegisteredApp {
    const app = appId ? this.deps.apps.find(appId) : this.deps.apps.list().find((a) => a.messagingEndpointUrl) ?? this.deps.apps.list().find((a) => besideCallingWebhook(a.callingWebhookUrl));
    if (!app) {
      throw appId
        ? new EmulatorError('emulator/unknown-app', `There is no app '${appId}': GET /emulator/apps lists them.`, 404)
        : new EmulatorError('emulator/no-messaging-endpoint', 'No app has a messaging endpoint yet: PUT /emulator/apps/{clientId}/messaging-endpoint { url } first.', 409);
    }
    if (!app.messagingEndpointUrl && !besideCallingWebhook(app.callingWebhookUrl)) {
      throw new EmulatorError('emulator/no-messaging-endpoint', `App ${app.clientId} has no messaging endpoint: PUT /emulator/apps/${app.clientId}/messaging-endpoint { url } first.`, 409);
    }
    return app;
  }

  /** A known chat, a meeting's chat (by thread, meeting id or join link), "personal", or a new personal chat by that id. */
  private chat(conversationId: string, personId: string, app: RegisteredApp): ChatConversation {
    const now = new Date().toISOString();
    if (conversationId.toLowerCase() === PERSONAL) {
      const id = personalConversationId(personId, app.clientId);
      return this.deps.store.addConversation({ id, kind: 'personal', tenantId: this.deps.tenantId, memberIds: [personId], appId: app.clientId, createdBy: 'emulator', createdAt: now });
    }
    const known = this.deps.store.conversation(conversationId);
    if (known) return known;
    let threadId: string | undefined;
    try {
      threadId = this.deps.rooms.resolve(conversationId).threadId;
    } catch {
      threadId = undefined;
    }
    if (threadId) {
      return this.deps.store.conversation(threadId)
        ?? this.deps.store.addConversation({ id: threadId, kind: 'meeting', tenantId: this.deps.tenantId, memberIds: [], threadId, createdBy: 'emulator', createdAt: now });
    }
    return this.deps.store.addConversation({ id: conversationId, kind: 'personal', tenantId: this.deps.tenantId, memberIds: [personId], appId: app.clientId, createdBy: 'emulator', createdAt: now });
  }
}

/** `http://127.0.0.1:3978/api/calling` → `http://127.0.0.1:3978/api/messages` (only for a webhook at …/api/calling). */
export function besideCallingWebhook(callingWebhookUrl: string | undefined): string | undefined {
  if (!callingWebhookUrl) return undefined;
  try {
    const url = new URL(callingWebhookUrl);
    if (!/\/api\/calling\/?$/.test(url.pathname) || url.search) return undefined;
    url.pathname = url.pathname.replace(/\/api\/calling\/?$/, '/api/messages');
    return url.toString();
  } catch {
    return undefined;
  }
}
