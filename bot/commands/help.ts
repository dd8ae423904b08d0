// "help": the help card listing every command that exists (also sent, with a greeting, when someone says hi).
import type { TurnContext } from 'botbuilder';
import { MessageFactory } from 'botbuilder';
import { helpCard } from '../cards/help-card.js';
import type { Command } from './command.js';

export const HELP_INTRO = 'I put calls and meetings into Teams. Type a command:';
const HELP_FOOTER = 'Words in ‹angle quotes› are yours to fill in: a name, an email address or an @mention, a time, a message.';

export function helpCommand(listCommands: () => Command[]): Command {
  return {
    name: 'help',
    aliases: ['?', 'commands'],
    usage: 'help',
    summary: 'Show what I can do.',
    async run({ context }) {
      await sendHelp(context, listCommands(), HELP_INTRO);
    },
  };
}

export async function sendHelp(context: TurnContext, commands: Command[], intro: string): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(helpCard(commands, intro, HELP_FOOTER)));
}
