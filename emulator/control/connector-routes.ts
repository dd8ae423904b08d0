// Control routes for chat with the bot and what it sends: register the app's messaging endpoint, read what went
// through the local Bot Connector, and have a person send the bot a chat message (no Teams client needed).

import { z } from 'zod';
import type { ChatService } from '../connector/chat-service.js';
import type { ConnectorStore } from '../connector/connector-store.js';
import { EmulatorError } from '../emulator-error.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import type { AppRegistry } from '../identity/app-registry.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const endpointSchema = z.strictObject({ url: z.string().min(1) });
const messageSchema = z.strictObject({ person: z.string().min(1), text: z.string().min(1).max(28_000), appId: z.string().min(1).optional() });

export function connectorRoutes(apps: AppRegistry, store: ConnectorStore, chat: ChatService, serviceUrl: string): ControlRoute[] {
  return [
    {
      method: 'PUT',
      path: `${CONTROL_PREFIX}/apps/:clientId/messaging-endpoint`,
      description: 'Register the app\'s messaging endpoint (/api/messages): { url } (https, or http on 127.0.0.1) → { clientId, messagingEndpointUrl, serviceUrl }. Chat messages and meeting events are POSTed there.',
      handle: (request, params) => {
        const { url } = parseWith(endpointSchema, parseJsonBody(request));
        const app = apps.setMessagingEndpoint(params.clientId!, url);
        return jsonReply(200, { clientId: app.clientId, messagingEndpointUrl: app.messagingEndpointUrl, serviceUrl });
      },
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/connector/activities`,
      description: 'Activities through the local Bot Connector, both directions: ?conversationId=&since=<seq>&direction=to-bot|from-bot → { value: [...], lastSeq }.',
      handle: (request) => {
        const sinceText = request.query.get('since');
        if (sinceText !== null && sinceText !== '' && !/^\d+$/.test(sinceText)) {
          throw new EmulatorError('emulator/invalid-query', `Query parameter since must be an integer ≥ 0, not '${sinceText}'.`, 400);
        }
        const value = store.list({
          conversationId: request.query.get('conversationId') ?? undefined,
          since: sinceText ? Number(sinceText) : undefined,
          direction: request.query.get('direction') ?? undefined,
        });
        return jsonReply(200, { value, lastSeq: store.lastSeq });
      },
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/connector/conversations`,
      description: 'The chats the local Bot Connector knows (personal, group, meeting, bot-created): { value: [...] }.',
      handle: () => jsonReply(200, { value: store.listConversations() }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/chat/:conversationId/messages`,
      description: 'A person sends the bot a chat message: { person, text, appId? } → 202 the activity record. conversationId: a known chat, a meeting (thread id, meeting id or join link: the bot is @mentioned), or "personal" for the person\'s 1:1 chat with the bot.',
      handle: (request, params) => {
        const body = parseWith(messageSchema, parseJsonBody(request) ?? {});
        return jsonReply(202, chat.send(params.conversationId!, body.person, body.text, body.appId));
      },
    },
  ];
}
