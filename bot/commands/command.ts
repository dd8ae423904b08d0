// What a chat command is: a name, how to use it, and what it does with the rest of the message.
import type { TurnContext } from 'botbuilder';

export interface Command {
  name: string;
  /** Other words that run the same command. */
  aliases?: string[];
  usage: string;
  summary: string;
  example?: string;
  run(context: TurnContext, args: string): Promise<void>;
}
