// "status": what the bot is doing right now — live calls, scheduled reminders, the front desk.
import type { Command } from './command.js';

export function statusCommand(): Command {
  return {
    name: 'status',
    usage: 'status',
    summary: 'What I am doing right now: live calls, scheduled reminders, the front desk.',
    async run({ context, services }) {
      const live = await services.calls.listCalls({ live: true });
      const pending = await services.reminders.list({ pendingOnly: true });
      const lines = [
        live.length === 0 ? '**Calls:** none right now.' : `**Calls:** ${live.length} live — ${live.slice(0, 5).map((c) => `${c.direction ?? 'call'} (${c.state})`).join(', ')}`,
        `**Reminders:** ${pending.length} scheduled.`,
        services.frontDesk.rules ? `**Front desk:** ${services.frontDesk.rules.desk.rules.length} rules and ${Object.keys(services.frontDesk.rules.desk.menus).length} menus in force.` : '**Front desk:** not loaded — incoming calls are declined.',
      ];
      await context.sendActivity(lines.join('\n\n'));
    },
  };
}
