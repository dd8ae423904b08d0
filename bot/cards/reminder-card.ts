// A reminder's card: what, for whom, when, and — updated in place — how it went.
import type { Reminder } from '../../comms/reminders/index.js';
import { executeAction, expandCard, type CardJson } from './card-template.js';
import { asClock, formatWhen, localizeInstants, zoneLabel, type ViewerClock } from './viewer-clock.js';

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: 'Reminder call for ${who}', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '"${message}"', wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: 'When', value: '${when}' },
        { title: 'Status', value: '${status}' },
        { $when: '${outcome != null}', title: 'Outcome', value: '${outcome}' },
      ],
    },
  ],
};

const STATUS: Record<Reminder['status'], string> = {
  scheduled: 'Scheduled',
  calling: 'Calling now…',
  confirmed: 'Confirmed ✔',
  snoozed: 'Snoozed',
  delivered: 'Delivered',
  unanswered: 'Not answered',
  declined: 'Declined',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Times are on the viewer's clock (or a bare time zone); instants inside the outcome text are shown the same way. */
export function reminderCard(reminder: Reminder, viewer: ViewerClock | string = 'UTC'): CardJson {
  const clock = asClock(viewer);
  const card = expandCard(template, {
    who: reminder.person.displayName ?? 'someone',
    message: reminder.message,
    when: `${formatWhen(reminder.dueAt, clock)} (${zoneLabel(clock, new Date(reminder.dueAt))})${reminder.late ? ' (late: the app was down)' : ''}`,
    status: STATUS[reminder.status],
    outcome: reminder.outcome ? localizeInstants(reminder.outcome, clock) : null,
  });
  if (reminder.status === 'scheduled' || reminder.status === 'snoozed') {
    card.actions = [executeAction('Cancel reminder', 'reminder.cancel', { reminderId: reminder.id }, 'destructive')];
  }
  return card;
}
