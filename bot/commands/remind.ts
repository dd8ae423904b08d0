// "remind <person> in 10 minutes to …": schedules a reminder call; its card updates with the outcome.
import { ReminderError } from '../../comms/reminders/index.js';
import { reminderCard } from '../cards/reminder-card.js';
import { formatWhen, viewerClock } from '../cards/viewer-clock.js';
import type { LiveCards } from '../call-cards.js';
import { fromName } from '../people.js';
import { explainLookups } from './call.js';
import type { Command } from './command.js';
import { tenantRefusal } from './guards.js';
import { parseReminder } from './remind-parse.js';
import { sendCard, sendFailure, sendText, sendUsage } from './reply.js';

export function remindCommand(cards: LiveCards): Command {
  const command: Command = {
    name: 'remind',
    aliases: ['reminder'],
    usage: 'remind <person> in <n> minutes|hours to <message>  ·  remind <person> at <HH:MM> to <message>',
    summary: 'Have me call someone at a time and speak a reminder; they can press 1 to confirm or 2 to snooze.',
    example: 'remind Jonas in 10 minutes to join the stand-up',
    async run(turn) {
      const { context, args, services } = turn;
      const mention = (context.activity.entities ?? []).find((e) => e.type === 'mention' && (e.mentioned as { id?: string })?.id !== context.activity.recipient?.id);
      const text = args.replace(/<at>[^<]*<\/at>/gi, mention ? `@${(mention.mentioned as { name?: string }).name ?? 'them'}` : '').trim();
      const parsed = parseReminder(text, services.now(), services.timeZone);
      if (!parsed) return sendUsage(context, command, "I didn't catch who, when and what.");
      const refusal = tenantRefusal(context, services);
      if (refusal) {
        await context.sendActivity(refusal);
        return;
      }
      try {
        const person = await fromName(services.graph, parsed.person.replace(/^@/, ''));
        if (await explainLookups(turn, [person], 'remind')) return;
        if (person.kind !== 'found') return;
        const reminder = await services.reminders.schedule({
          person: { userId: person.user.id, displayName: person.user.displayName },
          message: parsed.message,
          at: parsed.at,
          requestedBy: turn.conversationKey,
        });
        const clock = viewerClock(context.activity, services.timeZone);
        const activityId = await sendCard(context, reminderCard(reminder, clock));
        if (activityId && turn.conversationKey) await cards.linkReminder(reminder.id, { conversationKey: turn.conversationKey, activityId, clock });
      } catch (err) {
        if (err instanceof ReminderError && err.code === 'reminders/duplicate' && err.existing) {
          // The same request twice (a double send, or typed again): one reminder, one call — and say so.
          const existing = err.existing;
          const when = formatWhen(existing.dueAt, viewerClock(context.activity, services.timeZone));
          await sendText(context, `${existing.person.displayName ?? 'They'} already ${existing.person.displayName ? 'has' : 'have'} that reminder at ${when} ("${existing.message}"), so I won't call twice. **reminders** lists what is scheduled.`);
          return;
        }
        await sendFailure(context, 'schedule that reminder', err);
      }
    },
  };
  return command;
}
