// "queues", "queue <name>", "sign in <queue>" / "sign out <queue>": call queues from chat. Agents who use them in a
// personal chat get their offer cards there.
import type { TurnContext } from 'botbuilder';
import type { QueueService } from '../../comms/queues/index.js';
import { queueStatusCard, queuesCard } from '../cards/queue-card.js';
import type { QueueOfferCards } from '../queue-offer-cards.js';
import type { Command, CommandTurn } from './command.js';
import { suggest } from './parse.js';
import { sendCard, sendFailure, sendText, sendUsage } from './reply.js';

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function chatter(context: TurnContext): string | undefined {
  const id = context.activity.from?.aadObjectId;
  return id && USER_ID.test(id) ? id : undefined;
}

/** An agent's personal chat is where their offer cards will go. */
async function remember(turn: CommandTurn, cards: QueueOfferCards): Promise<void> {
  const userId = chatter(turn.context);
  const queues = turn.services.queues;
  if (!userId || !turn.conversationKey || !queues || turn.context.activity.conversation?.conversationType !== 'personal') return;
  if (queues.queuesOf(userId).length > 0) await cards.rememberAgent(userId, turn.conversationKey);
}

/** The queue a name means (any case); undefined after telling the person what the queues are. */
async function findQueue(turn: CommandTurn, queues: QueueService, command: Command, name: string): Promise<string | undefined> {
  const names = queues.names();
  const found = names.find((n) => n.toLowerCase() === name.trim().toLowerCase());
  if (found) return found;
  if (name.trim() === '') {
    if (names.length === 1) return names[0];
    await sendUsage(turn.context, command, names.length ? `Which queue? The queues are ${names.map((n) => `**${n}**`).join(', ')}.` : 'The front desk has no queues.');
    return undefined;
  }
  const close = suggest(name.trim().toLowerCase(), names.map((n) => n.toLowerCase())).map((l) => names.find((n) => n.toLowerCase() === l)!);
  await sendText(turn.context, `There is no queue "${name.trim()}".${close.length ? ` Did you mean **${close[0]}**?` : names.length ? ` The queues are ${names.map((n) => `**${n}**`).join(', ')}.` : ' The front desk has no queues.'}`);
  return undefined;
}

/** The queue service, or undefined after saying it is not running (awaited: a send may fail, and only within the turn). */
async function running(turn: CommandTurn): Promise<QueueService | undefined> {
  if (!turn.services.queues) await sendText(turn.context, 'Call queues are not running here.');
  return turn.services.queues;
}

export function queuesCommand(cards: QueueOfferCards): Command {
  return {
    name: 'queues',
    usage: 'queues',
    summary: 'Every call queue at a glance: callers waiting, the longest wait, agents free, answered today.',
    async run(turn) {
      const queues = await running(turn);
      if (!queues) return;
      await remember(turn, cards);
      try {
        await sendCard(turn.context, queuesCard(await queues.status()));
      } catch (err) {
        await sendFailure(turn.context, 'read the queues', err);
      }
    },
  };
}

export function queueCommand(cards: QueueOfferCards): Command {
  const command: Command = {
    name: 'queue',
    usage: 'queue <name>',
    summary: 'One call queue: the callers in line with their wait and what they hear, the agents and their state, today\'s service level.',
    example: 'queue support',
    async run(turn) {
      const queues = await running(turn);
      if (!queues) return;
      await remember(turn, cards);
      const name = await findQueue(turn, queues, command, turn.args);
      if (!name) return;
      try {
        const status = await queues.statusOf(name);
        if (status) await sendCard(turn.context, queueStatusCard(status, chatter(turn.context)));
      } catch (err) {
        await sendFailure(turn.context, `read the ${name} queue`, err);
      }
    },
  };
  return command;
}

export function signCommand(cards: QueueOfferCards): Command {
  const command: Command = {
    name: 'sign',
    aliases: ['signin', 'signout'],
    usage: 'sign in <queue> / sign out <queue>',
    summary: 'Agents: start (or stop) taking calls from a call queue. Offers come to this chat while you are signed in.',
    example: 'sign in support',
    async run(turn) {
      const queues = await running(turn);
      if (!queues) return;
      const word = turn.context.activity.text?.trim().split(/\s+/).find((w) => /^sign(in|out)?$/i.test(w))?.toLowerCase();
      const args = turn.args.trim();
      const direction = word === 'signin' ? 'in' : word === 'signout' ? 'out' : /^(in|out)\b/i.exec(args)?.[1]?.toLowerCase();
      if (direction !== 'in' && direction !== 'out') return sendUsage(turn.context, command, 'Sign in or out?');
      const rest = word === 'signin' || word === 'signout' ? args : args.slice(direction.length);
      const userId = chatter(turn.context);
      if (!userId) return sendText(turn.context, 'I cannot tell who you are (Teams did not say), so I cannot sign you in or out.');
      const name = await findQueue(turn, queues, command, rest);
      if (!name) return;
      try {
        const agent = direction === 'in' ? await queues.signIn(name, userId) : await queues.signOut(name, userId);
        await remember(turn, cards);
        await sendText(turn.context, direction === 'in'
          ? `You are signed in to the **${name}** queue${agent.presence && agent.state === 'idle' && !agent.eligible ? ' (calls come once your presence is Available)' : ''}: callers are offered to you here and in Teams.`
          : `You are signed out of the **${name}** queue: no more of its calls will be offered to you.`);
      } catch (err) {
        await sendFailure(turn.context, `sign you ${direction} ${direction === 'in' ? 'to' : 'of'} the ${name} queue`, err);
      }
    },
  };
  return command;
}
