// POST /api/messages: Bot Framework activities from Teams (or the Agents Playground) into the bot.
import type { CloudAdapter } from 'botbuilder';
import type { RequestHandler, Server } from 'restify';
import type { TeamsBot } from './teams-bot.js';

export function registerMessagesRoute(server: Server, parseBody: RequestHandler[], adapter: CloudAdapter, bot: TeamsBot): void {
  server.post('/api/messages', ...parseBody, async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
}
