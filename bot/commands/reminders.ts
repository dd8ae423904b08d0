// "reminders": the reminders asked for from this chat that have not happened yet, each with a cancel button.
import { reminderCard } from '../cards/reminder-card.js';
import { viewerClock } from '../cards/viewer-clock.js';
import type { Command } from './command.js';
import { sendCard, sendText } from './reply.js';

export function remindersCommand(): Command {
  return {
    name: 'reminders',
    usage: 'reminders',
    summary: 'List the reminder calls scheduled from this chat (with a button to cancel each).',
    async run({ context, services, conversationKey }) {
      const pending = await services.reminders.list({ requestedBy: conversationKey, pendingOnly: true });
      if (pending.length === 0) {
        await sendText(context, 'No reminders are scheduled from this chat. Set one with **remind <person> in 10 minutes to <message>**.');
        return;
      }
      for (const reminder of pending.slice(0, 10)) await sendCard(context, reminderCard(reminder, viewerClock(context.activity, services.timeZone)));
      if (pending.length > 10) await context.sendActivity(`…and ${pending.length - 10} more.`);
    },
  };
}
