// A meeting created from chat: when (on the viewer's clock), who (by name), the join link, and buttons to bring the
// bot in and open the side panel.
import type { Meeting, MeetingPerson } from '../../comms/meetings/index.js';
import { executeAction, expandCard, type CardJson } from './card-template.js';
import { asClock, formatWhen, zoneLabel, type ViewerClock } from './viewer-clock.js';

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: '${subject}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'FactSet', facts: [{ title: 'When', value: '${when}' }, { title: 'Organizer', value: '${organizer}' }, { $when: '${attendees != null}', title: 'Invited', value: '${attendees}' }] },
  ],
};

export interface MeetingCardOptions {
  /** The viewer's clock (or a bare time zone). */
  timeZone?: string;
  clock?: ViewerClock;
  sidePanelUrl?: string;
  /** Display names by user id or UPN (lower case), for people Graph answered with only an address. */
  names?: Map<string, string>;
}

export function meetingCard(meeting: Meeting, options: MeetingCardOptions): CardJson {
  const clock = options.clock ?? asClock(options.timeZone);
  const fmt = (iso?: string) => (iso ? formatWhen(iso, clock) : '?');
  const name = (p: MeetingPerson | undefined) => (p ? nameOf(p, options.names) : undefined);
  const card = expandCard(template, {
    subject: meeting.subject ?? 'Meeting',
    when: `${fmt(meeting.start)} – ${fmt(meeting.end)} (${zoneLabel(clock, meeting.start ? new Date(meeting.start) : undefined)})`,
    organizer: name(meeting.organizer) ?? 'you',
    attendees: meeting.attendees.length > 0 ? meeting.attendees.map((a) => nameOf(a, options.names)).join(', ') : null,
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

function nameOf(person: MeetingPerson, names: Map<string, string> | undefined): string {
  if (person.displayName) return person.displayName;
  for (const key of [person.userId, person.upn]) {
    const known = key ? names?.get(key.toLowerCase()) : undefined;
    if (known) return known;
  }
  return person.upn ?? person.userId ?? 'someone';
}
