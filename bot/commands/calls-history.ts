// "calls": recent calls from call records — who, when, how long, and whether the audio was poor.
import type { Command } from './command.js';

export function callsHistoryCommand(): Command {
  return {
    name: 'calls',
    aliases: ['history'],
    usage: 'calls',
    summary: 'Recent calls and meetings from call records, with their audio quality.',
    async run({ context, services }) {
      if (!services.records) {
        await context.sendActivity('Call records are not available.');
        return;
      }
      const summaries = await services.records.listSummaries({ limit: 10 });
      if (summaries.length === 0) {
        await context.sendActivity('No call records yet. Graph publishes a record a little after each call or meeting ends.');
        return;
      }
      const lines = summaries.map((s) => {
        const when = s.start ? new Date(s.start).toLocaleString('en-GB', { timeZone: services.timeZone, dateStyle: 'medium', timeStyle: 'short' }) : 'unknown time';
        const length = s.durationSeconds === undefined ? '' : ` · ${Math.max(1, Math.round(s.durationSeconds / 60))} min`;
        const who = s.participants.map((p) => p.displayName ?? 'someone').slice(0, 4).join(', ');
        return `**${when}**${length} · ${s.type === 'peerToPeer' ? 'call' : 'group call/meeting'} with ${who || 'nobody recorded'}${s.poorQuality ? ' · ⚠ poor audio' : ''}`;
      });
      await context.sendActivity(lines.join('\n\n'));
    },
  };
}
