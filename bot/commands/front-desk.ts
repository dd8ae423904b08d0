// "front desk": the rules in force and what the front desk did with today's calls.
import { frontDeskCard } from '../cards/front-desk-card.js';
import { viewerClock } from '../cards/viewer-clock.js';
import type { Command } from './command.js';
import { sendCard } from './reply.js';

export function frontDeskCommand(): Command {
  return {
    name: 'frontdesk',
    aliases: ['front', 'desk'],
    usage: 'front desk',
    summary: "Show the front-desk rules in force and today's handled calls.",
    async run({ context, services }) {
      const startOfDay = new Date(services.now());
      startOfDay.setUTCHours(0, 0, 0, 0);
      const handled = await services.frontDesk.handledSince(startOfDay);
      await sendCard(context, frontDeskCard(services.frontDesk.rules, services.frontDesk.path, handled, viewerClock(context.activity, services.timeZone)));
    },
  };
}
