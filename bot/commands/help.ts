// "help": the help card listing every command that exists.
import { helpCard } from '../cards/help-card.js';
import { MessageFactory } from 'botbuilder';
import type { Command } from './command.js';

export function helpCommand(listCommands: () => Command[]): Command {
  return {
    name: 'help',
    aliases: ['?', 'commands'],
    usage: 'help',
    summary: 'Show what I can do.',
    async run({ context }) {
      const card = helpCard(listCommands(), 'I put calls and meetings into Teams. Type a command:');
      await context.sendActivity(MessageFactory.attachment(card));
    },
  };
}
