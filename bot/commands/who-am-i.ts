// Who is chatting, when the directory does not know them: say so helpfully instead of failing on Graph's answer.
// In local mode the usual cause is a chat client that signs in a made-up user (the Agents Playground's default Alex
// Wilber); the fix is to chat as one of the emulated people.
import type { TurnContext } from 'botbuilder';
import type { BotServices } from './command.js';

/** The Playground configuration Switchboard ships (generated from the emulator's people by `npm run playground`). */
export const PLAYGROUND_CONFIG = '.m365agentsplayground.yml';

export function unknownChatterNotice(context: TurnContext, services: Pick<BotServices, 'enforceTenant'>, what: string): string {
  const from = context.activity.from;
  const who = `${from?.name ?? 'someone'}${from?.aadObjectId ? ` (object id ${from.aadObjectId})` : ' (no object id)'}`;
  if (!services.enforceTenant) {
    return (
      `You are chatting as ${who}, who is not one of the emulated people, so I can't ${what}. ` +
      `Chat as one of them: start the Agents Playground with **npm run playground** (it uses ${PLAYGROUND_CONFIG}, generated from the emulator's people, ` +
      'and signs you in as Amara Okafor), or pick a person in the emulator console. GET /emulator/users on the emulator lists everyone.'
    );
  }
  return `I can't ${what}: this chat says you are ${who}, and your organization's directory does not know that user. Chat from Teams signed in with your work account.`;
}
