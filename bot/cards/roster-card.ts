// Who is in the meeting now: organizers and presenters first, then everyone else, with muted and sharing marks.
import type { RosterEntry } from '../../comms/meetings/index.js';
import { executeAction, expandCard, type CardJson } from './card-template.js';

const SHOWN = 40;

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: '${summary}', isSubtle: true, wrap: true, spacing: 'None' },
    { type: 'FactSet', $when: '${count > 0}', facts: [{ $data: '${people}', title: '${name}', value: '${marks}' }] },
    { type: 'TextBlock', $when: '${more > 0}', text: '…and ${more} more.', isSubtle: true },
    { type: 'TextBlock', $when: '${count == 0}', text: 'Nobody is in the meeting right now.', isSubtle: true },
  ],
};

export function rosterCard(title: string, people: RosterEntry[], options: { canControl: boolean; meetingKey: string }): CardJson {
  const humans = people.filter((p) => !p.isBot);
  const rank = (p: RosterEntry) => (/organizer/i.test(p.role ?? '') ? 0 : /presenter/i.test(p.role ?? '') ? 1 : 2);
  const sorted = [...humans].sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName));
  const muted = humans.filter((p) => p.isMuted).length;
  const card = expandCard(template, {
    title,
    summary: `${humans.length} ${humans.length === 1 ? 'person' : 'people'} · ${muted} muted`,
    count: humans.length,
    people: sorted.slice(0, SHOWN).map((p) => ({
      name: p.displayName,
      marks: [p.role, p.isMuted ? '🔇 muted' : '🎙 unmuted', p.screenSharing ? 'sharing screen' : undefined, p.inLobby ? 'in the lobby' : undefined].filter(Boolean).join(' · '),
    })),
    more: Math.max(0, sorted.length - SHOWN),
  });
  card.actions = [executeAction('Refresh', 'meeting.roster', { meetingKey: options.meetingKey })];
  if (options.canControl && humans.some((p) => !p.isMuted)) {
    (card.actions as CardJson[]).push(executeAction('Mute everyone', 'meeting.muteAll', { meetingKey: options.meetingKey }, 'destructive'));
  }
  return card;
}
