// A meeting created from chat: when, the join link, and buttons to bring the bot in and open the side panel.
import type { Meeting } from '../../comms/meetings/index.js';
import { executeAction, expandCard, type CardJson } from './card-template.js';

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: '${subject}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'FactSet', facts: [{ title: 'When', value: '${when}' }, { title: 'Organizer', value: '${organizer}' }, { $when: '${attendees != null}', title: 'Invited', value: '${attendees}' }] },
  ],
};

export function meetingCard(meeting: Meeting, options: { timeZone: string; sidePanelUrl?: string }): CardJson {
  const fmt = (iso?: string) => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: options.timeZone, dateStyle: 'medium', timeStyle: 'short' }) : '?');
  const card = expandCard(template, {
    subject: meeting.subject ?? 'Meeting',
    when: `${fmt(meeting.start)} – ${fmt(meeting.end)} ${options.timeZone}`,
    organizer: meeting.organizer?.displayName ?? meeting.organizer?.upn ?? 'you',
    attendees: meeting.attendees.length > 0 ? meeting.attendees.map((a) => a.displayName ?? a.upn ?? a.userId).join(', ') : null,
  });
  const actions: CardJson[] = [];
  if (meeting.joinWebUrl) {
    actions.push({ type: 'Action.OpenUrl', title: 'Join the meeting', url: meeting.joinWebUrl });
    actions.push(executeAction('Bot: join', 'meeting.join', { link: meeting.joinWebUrl }, 'positive'));
  }
  if (options.sidePanelUrl) actions.push({ type: 'Action.OpenUrl', title: 'Open side panel', url: options.sidePanelUrl });
  card.actions = actions;
  return card;
}
