// Small helpers every command uses to answer: a card, usage help, a friendly error card for any failure.
import { MessageFactory, type TurnContext } from 'botbuilder';
import { CallError } from '../../comms/calls/index.js';
import { GraphError } from '../../comms/graph/index.js';
import { asAttachment, type CardJson } from '../cards/card-template.js';
import { errorCard } from '../cards/error-card.js';
import { shown } from '../cards/shown-text.js';
import type { Command } from './command.js';

export async function sendCard(context: TurnContext, card: CardJson): Promise<string | undefined> {
  return (await context.sendActivity(MessageFactory.attachment(asAttachment(card))))?.id;
}

export async function sendUsage(context: TurnContext, command: Command, problem?: string): Promise<void> {
  const example = command.example ? `\n\nFor example: **${command.example}**` : '';
  await sendText(context, `${problem ? `${problem} ` : ''}Usage: **${command.usage}**${example}`);
}

/** A text reply as Teams will show it: `<placeholders>` (and anything the person typed) stay visible. */
export async function sendText(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity(MessageFactory.text(shown(text)));
}

/** Any failure as a card that says what happened and what to do. */
export function failureCard(action: string, err: unknown): CardJson {
  if (err instanceof GraphError) {
    return errorCard({ title: `I couldn't ${action}`, cause: plainGraphCause(err), advice: err.advice, reference: err.requestId ? `request-id ${err.requestId}` : err.code });
  }
  if (err instanceof CallError) {
    return errorCard({ title: `I couldn't ${action}`, cause: err.message, advice: err.code === 'calls/not-found' ? 'The call may have ended already.' : 'Try again in a moment.', reference: err.code });
  }
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && typeof e.message === 'string' && !e.code.startsWith('ERR_')) {
    return errorCard({ title: `I couldn't ${action}`, cause: e.message, reference: e.code });
  }
  return errorCard({ title: `I couldn't ${action}`, cause: 'Something went wrong on my side.', advice: 'Try again; if it keeps happening, tell your admin the time it happened.' });
}

export async function sendFailure(context: TurnContext, action: string, err: unknown): Promise<void> {
  await sendCard(context, failureCard(action, err));
}

function plainGraphCause(err: GraphError): string {
  switch (err.code) {
    case 'graph/throttled':
      return 'Microsoft Graph is busy and asked me to slow down.';
    case 'graph/forbidden':
    case 'graph/access-policy-missing':
      return 'Microsoft Graph did not allow the app to do that.';
    case 'graph/not-found':
      return 'Microsoft Graph could not find it.';
    case 'graph/unauthorized':
    case 'graph/token-failed':
      return 'The app could not sign in to Microsoft Graph.';
    case 'graph/timeout':
    case 'graph/network':
    case 'graph/unavailable':
      return 'Microsoft Graph could not be reached just now.';
    default:
      return 'Microsoft Graph refused the request.';
  }
}

/** Shows the typing indicator while long work runs. */
export async function typing(context: TurnContext): Promise<void> {
  await context.sendActivity({ type: 'typing' }).catch(() => undefined);
}
