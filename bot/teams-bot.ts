// The Teams bot: chat messages go to commands from one table (unknown words get suggestions, never silence), and
// card buttons (Action.Execute) come back here as invokes that answer with the refreshed card.
import {
  MessageFactory,
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { asAttachment } from './cards/card-template.js';
import { callCard } from './cards/call-card.js';
import { reminderCard } from './cards/reminder-card.js';
import { CALL_CARDS, type CardLink } from './call-cards.js';
import type { BotServices, Command } from './commands/command.js';
import { helpCommand } from './commands/help.js';
import { splitCommand, suggest } from './commands/parse.js';
import { failureCard } from './commands/reply.js';

const actionData = z.object({
  callId: z.string().max(128).optional(),
  reminderId: z.string().max(128).optional(),
  command: z.string().max(500).optional(),
});

export class TeamsBot extends TeamsActivityHandler {
  private readonly commands: Command[];

  constructor(
    private readonly services?: BotServices,
    extraCommands: Command[] = [],
  ) {
    super();
    this.commands = [helpCommand(() => this.commands), ...extraCommands];
    this.onMessage(async (context, next) => {
      await this.dispatch(context, context.activity.text ?? '');
      await next();
    });
  }

  private find(word: string): Command | undefined {
    return this.commands.find((c) => c.name === word || c.aliases?.includes(word));
  }

  private async dispatch(context: TurnContext, text: string): Promise<void> {
    const { word, args } = splitCommand(text);
    if (word === '') {
      if (context.activity.value === undefined) await this.runCommand(context, this.find('help')!, '');
      return;
    }
    const command = this.find(word);
    if (command) return this.runCommand(context, command, args);
    const close = suggest(word, this.commands.map((c) => c.name));
    const hint = close.length > 0 ? `Did you mean **${close.slice(0, 3).join('**, **')}**? ` : '';
    await context.sendActivity(MessageFactory.text(`I don't know "${word}". ${hint}Type **help** to see what I can do.`));
  }

  private async runCommand(context: TurnContext, command: Command, args: string): Promise<void> {
    const conversationKey = this.services ? await this.services.conversations.remember(context) : undefined;
    await command.run({ context, args, services: this.services!, conversationKey });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = invokeValue.action?.verb;
    const parsed = actionData.safeParse(invokeValue.action?.data ?? {});
    const services = this.services;
    if (!parsed.success || !services) return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Unknown card action.' } as never };
    const data = parsed.data;
    try {
      if (verb === 'call.hangup' && data.callId) {
        const link = await services.store.get<CardLink>(CALL_CARDS, data.callId);
        const call = await services.calls.hangUp(data.callId);
        return cardResponse(callCard({ call, who: link?.who ?? 'them', connectedAt: link?.connectedAt }));
      }
      if (verb === 'reminder.cancel' && data.reminderId) {
        return cardResponse(reminderCard(await services.reminders.cancel(data.reminderId), services.timeZone));
      }
      if (verb === 'command.run' && data.command) {
        await this.dispatch(context, data.command);
        return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Working on it…' as never };
      }
    } catch (err) {
      return cardResponse(failureCard(verb === 'call.hangup' ? 'hang up' : 'do that', err));
    }
    return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: `Unknown action "${verb}".` } as never };
  }
}

function cardResponse(card: Record<string, unknown>): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: asAttachment(card).content };
}
