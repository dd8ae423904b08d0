// The Teams bot: routes chat messages to commands from one table; unknown words get suggestions, never silence.
import { MessageFactory, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import type { Command } from './commands/command.js';
import { helpCommand } from './commands/help.js';
import { splitCommand, suggest } from './commands/parse.js';

export class TeamsBot extends TeamsActivityHandler {
  private readonly commands: Command[];

  constructor(extraCommands: Command[] = []) {
    super();
    this.commands = [helpCommand(() => this.commands), ...extraCommands];
    this.onMessage(async (context, next) => {
      await this.dispatch(context);
      await next();
    });
  }

  private find(word: string): Command | undefined {
    return this.commands.find((c) => c.name === word || c.aliases?.includes(word));
  }

  private async dispatch(context: TurnContext): Promise<void> {
    const text = context.activity.text ?? '';
    const { word, args } = splitCommand(text);
    if (word === '') {
      if (context.activity.value === undefined) await this.find('help')!.run(context, '');
      return;
    }
    const command = this.find(word);
    if (command) {
      await command.run(context, args);
      return;
    }
    const close = suggest(word, this.commands.map((c) => c.name));
    const hint = close.length > 0 ? `Did you mean **${close.slice(0, 3).join('**, **')}**? ` : '';
    await context.sendActivity(MessageFactory.text(`I don't know "${word}". ${hint}Type **help** to see what I can do.`));
  }
}
