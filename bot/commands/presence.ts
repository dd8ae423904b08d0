// "presence <people>": whether people are available, busy, in a call…
import { getPresences } from '../../comms/presence/index.js';
import { resolvePeople } from '../people.js';
import { explainLookups } from './call.js';
import type { Command } from './command.js';
import { sendFailure, sendUsage } from './reply.js';

const WORDS: Record<string, string> = {
  Available: '🟢 Available', AvailableIdle: '🟢 Available (idle)', Away: '🟡 Away', BeRightBack: '🟡 Be right back', Busy: '🔴 Busy',
  BusyIdle: '🔴 Busy (idle)', DoNotDisturb: '⛔ Do not disturb', Offline: '⚪ Offline', PresenceUnknown: '❔ Unknown',
};

export function presenceCommand(): Command {
  const command: Command = {
    name: 'presence',
    aliases: ['available'],
    usage: 'presence <person>[, <person>…]',
    summary: 'Whether people are available, busy or in a call right now.',
    example: 'presence Jonas Lindqvist, Priya Raman',
    async run(turn) {
      const { context, args, services } = turn;
      if (args.trim() === '' && !(context.activity.entities ?? []).some((e) => e.type === 'mention')) return sendUsage(context, command, 'Whose presence?');
      try {
        const people = await resolvePeople(context, services.graph, args);
        if (await explainLookups(turn, people, 'presence')) return;
        const found = people.flatMap((p) => (p.kind === 'found' ? [p.user] : []));
        const presences = await getPresences(services.graph, found.map((u) => u.id));
        const lines = found.map((u, i) => {
          const p = presences[i]!;
          const activity = p.activity && p.activity !== p.availability ? ` — ${words(p.activity)}` : '';
          return `**${u.displayName}**: ${WORDS[p.availability] ?? p.availability}${activity}`;
        });
        await context.sendActivity(lines.join('\n\n'));
      } catch (err) {
        await sendFailure(context, 'read their presence', err);
      }
    },
  };
  return command;
}

/** "InAConferenceCall" → "in a conference call", "OffWork" → "off work". */
export function words(pascal: string): string {
  return pascal.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2').toLowerCase();
}
