// Control route for an app's calling webhook: where the emulated calling service POSTs incoming calls to the bot.

import { z } from 'zod';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import type { AppRegistry } from '../identity/app-registry.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const webhookSchema = z.strictObject({ url: z.string().min(1) });

export function callingWebhookRoutes(apps: AppRegistry): ControlRoute[] {
  return [
    {
      method: 'PUT',
      path: `${CONTROL_PREFIX}/apps/:clientId/calling-webhook`,
      description: 'Register the app\'s calling webhook: { url } (https, or http on 127.0.0.1) → { clientId, callingWebhookUrl }. Incoming calls are POSTed there.',
      handle: (request, params) => {
        const { url } = parseWith(webhookSchema, parseJsonBody(request));
        const app = apps.setCallingWebhook(params.clientId!, url);
        return jsonReply(200, { clientId: app.clientId, callingWebhookUrl: app.callingWebhookUrl });
      },
    },
  ];
}
