// "hang up": ends the calls this conversation started that are still going.
import { isLive } from '../../comms/calls/index.js';
import { CALL_CARDS, type CardLink } from '../call-cards.js';
import type { Command } from './command.js';
import { sendFailure } from './reply.js';

export function hangUpCommand(): Command {
  return {
    name: 'hangup',
    aliases: ['hang', 'end'],
    usage: 'hang up',
    summary: 'End the calls I placed from this chat.',
    async run({ context, services, conversationKey }) {
      const links = await services.store.list<CardLink>(CALL_CARDS);
      const mine = links.filter((l) => l.value.conversationKey === conversationKey);
      const live = [];
      for (const link of mine) {
        const call = await services.calls.getCall(link.key);
        if (call && isLive(call)) live.push({ call, who: link.value.who });
      }
      if (live.length === 0) {
        await context.sendActivity('There is no call from this chat to hang up.');
        return;
      }
      for (const { call, who } of live) {
        try {
          await services.calls.hangUp(call.id);
        } catch (err) {
          await sendFailure(context, `hang up the call with ${who}`, err);
        }
      }
      await context.sendActivity(`Hanging up ${live.length === 1 ? `the call with ${live[0]!.who}` : `${live.length} calls`}.`);
    },
  };
}
