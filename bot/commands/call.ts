// "call <people>": rings one person (peer-to-peer) or up to five (a group call) and posts a call card that updates
// in place as the call moves. "call +<E.164>" rings a phone number through the bot's application instance (its
// resource account with a phone number, PSTN_APPLICATION_INSTANCE_ID): application-post-calls Example 9.
import { toE164, type CallTarget } from '../../comms/calls/index.js';
import { callCard } from '../cards/call-card.js';
import { choiceCard } from '../cards/choice-card.js';
import { errorCard } from '../cards/error-card.js';
import type { LiveCards } from '../call-cards.js';
import { resolvePeople, type PersonLookup } from '../people.js';
import type { Command, CommandTurn } from './command.js';
import { tenantRefusal } from './guards.js';
import { sendCard, sendFailure, sendText, sendUsage, typing } from './reply.js';

const MAX_GROUP = 5;

export function callCommand(cards: LiveCards): Command {
  const command: Command = {
    name: 'call',
    aliases: ['ring', 'dial'],
    usage: 'call <person>[, <person>…] | call +<phone number>',
    summary: 'Call someone (or up to five people at once, or a phone number like +14255550142) from the bot; the card follows the call.',
    example: 'call Jonas Lindqvist',
    async run(turn) {
      const { context, args, services } = turn;
      if (args.trim() === '' && !hasMentions(turn)) return sendUsage(context, command, 'Who should I call?');
      const refusal = tenantRefusal(context, services);
      if (refusal) {
        await context.sendActivity(refusal);
        return;
      }
      if (args.trim().startsWith('+')) return callPhone(turn, cards, command);
      await typing(context);
      let people: PersonLookup[];
      try {
        people = await resolvePeople(context, services.graph, args);
      } catch (err) {
        return sendFailure(context, 'look those people up', err);
      }
      if (await explainLookups(turn, people, 'call')) return;
      const found = people.flatMap((p) => (p.kind === 'found' ? [p.user] : []));
      if (found.length > MAX_GROUP) return sendUsage(context, command, `A call from the bot can include at most ${MAX_GROUP} people.`);
      const targets: CallTarget[] = found.map((u) => ({ kind: 'user', id: u.id, displayName: u.displayName }));
      const who = found.map((u) => u.displayName).join(', ');
      try {
        const call = targets.length === 1 ? await services.calls.placeCall({ target: targets[0]!, purpose: 'chat-call' }) : await services.calls.placeGroupCall({ targets, purpose: 'chat-call' });
        const ringHint = await services.ringHint?.(found.map((u) => ({ id: u.id, displayName: u.displayName })));
        const activityId = await sendCard(context, callCard({ call, who, ringHint }));
        if (activityId && turn.conversationKey) await cards.linkCall(call.id, { conversationKey: turn.conversationKey, activityId, who, ...(ringHint ? { ringHint } : {}) });
      } catch (err) {
        await sendFailure(context, `call ${who}`, err);
      }
    },
  };
  return command;
}

/** A PSTN call from the bot's application instance to one phone number (peer-to-peer; Graph takes no phones in a bot's group call). */
async function callPhone(turn: CommandTurn, cards: LiveCards, command: Command): Promise<void> {
  const { context, args, services } = turn;
  const number = toE164(args);
  if (!number) return sendUsage(context, command, `"${args.trim()}" is not a phone number I can dial: write it in international format, a plus and the country code first, like +14255550142.`);
  if (!services.pstn) {
    await sendCard(context, errorCard({
      title: "I can't call phone numbers yet",
      cause: 'Calls to phone numbers go out through the bot\'s resource account (an application instance with a phone number), and none is configured.',
      advice: 'Ask your admin to create one for this bot (New-CsOnlineApplicationInstance), give it a phone number and a Teams Phone Resource Account licence, and set PSTN_APPLICATION_INSTANCE_ID to its object id (README › Phone calls (PSTN)).',
      reference: 'config/pstn-not-configured',
    }));
    return;
  }
  await typing(context);
  try {
    const call = await services.calls.placeCall({
      target: { kind: 'phone', number },
      source: { kind: 'applicationInstance', id: services.pstn.applicationInstanceId },
      tenantId: services.tenantId,
      purpose: 'chat-call',
    });
    const activityId = await sendCard(context, callCard({ call, who: number }));
    if (activityId && turn.conversationKey) await cards.linkCall(call.id, { conversationKey: turn.conversationKey, activityId, who: number });
  } catch (err) {
    await sendFailure(context, `call ${number}`, err);
  }
}

function hasMentions(turn: CommandTurn): boolean {
  return (turn.context.activity.entities ?? []).some((e) => e.type === 'mention' && (e.mentioned as { id?: string })?.id !== turn.context.activity.recipient?.id);
}

/** Says what is wrong with a list of people (unknown or ambiguous names); true when the command should stop. */
export async function explainLookups(turn: CommandTurn, people: PersonLookup[], verb: string): Promise<boolean> {
  const { context } = turn;
  const unknown = people.filter((p) => p.kind === 'unknown');
  if (unknown.length > 0) {
    await sendText(context, `I can't find ${unknown.map((p) => `"${p.kind === 'unknown' ? p.name : ''}"`).join(', ')} in your organization's directory. Try their full name or email address.`);
    return true;
  }
  const ambiguous = people.find((p) => p.kind === 'ambiguous');
  if (ambiguous && ambiguous.kind === 'ambiguous') {
    const others = people.filter((p) => p !== ambiguous).flatMap((p) => (p.kind === 'found' ? [p.user.userPrincipalName] : []));
    await sendCard(
      context,
      choiceCard(
        ambiguous.matches.length === 1 ? `Did you mean ${ambiguous.matches[0]!.displayName}?` : `Several people match "${ambiguous.name}". Which one did you mean?`,
        ambiguous.matches.map((m) => ({ title: m.displayName, subtitle: m.userPrincipalName, command: `${verb} ${[m.userPrincipalName, ...others].join(', ')}` })),
      ),
    );
    return true;
  }
  if (people.length === 0) {
    await context.sendActivity('Tell me who: a name, an email address or an @mention.');
    return true;
  }
  return false;
}
