// The welcome card, sent once when Switchboard is installed (personal chat, team, group or meeting chat): what it is,
// the three things to try first where it was installed, and a button for every command.
import { executeAction, expandCard, type CardJson } from './card-template.js';

export type WelcomeScope = 'personal' | 'team' | 'groupChat' | 'meeting';

interface FirstStep {
  command: string;
  what: string;
}

const FIRST_STEPS: Record<WelcomeScope, FirstStep[]> = {
  personal: [
    { command: 'call <person>', what: 'I ring them from Teams; the card follows the call until it ends.' },
    { command: 'meeting <subject> in 30 minutes with <person>, <person>', what: 'A Teams meeting you organize, with buttons to bring me in and open the side panel.' },
    { command: 'remind <person> in 10 minutes to <message>', what: 'I phone them and speak your reminder; they press 1 to confirm or 2 to snooze.' },
  ],
  team: [
    { command: 'call <person>', what: 'I ring them from Teams; the card follows the call until it ends.' },
    { command: 'presence <person>, <person>', what: 'Who is available, busy or in a call right now.' },
    { command: 'remind <person> in 10 minutes to <message>', what: 'I phone them and speak your reminder.' },
  ],
  groupChat: [
    { command: 'join <Teams meeting link>', what: 'Bring me into a meeting: I keep its roster and can mute, invite and announce.' },
    { command: 'roster', what: 'Who is in the meeting right now.' },
    { command: 'invite <person>', what: 'I call them into the meeting.' },
  ],
  meeting: [
    { command: 'join', what: 'Bring me into this meeting: I keep its live roster.' },
    { command: 'roster', what: 'Who is here, who is muted, who is sharing.' },
    { command: 'mute all', what: 'Mute everyone but you (organizers and presenters); people unmute themselves.' },
  ],
};

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: '${greeting}', weight: 'Bolder', size: 'Large', wrap: true },
    { type: 'TextBlock', text: 'I put calls and meetings into Teams: I ring people, run the front desk, join meetings and keep their roster.', wrap: true, spacing: 'Small' },
    { type: 'TextBlock', text: 'Three things to try first', weight: 'Bolder', spacing: 'Medium', wrap: true },
    {
      type: 'Container',
      items: [
        {
          $data: '${steps}',
          type: 'Container',
          spacing: 'Small',
          items: [
            { type: 'TextBlock', text: '${number}. **${command}**', wrap: true },
            { type: 'TextBlock', text: '${what}', wrap: true, spacing: 'None', isSubtle: true },
          ],
        },
      ],
    },
    { type: 'TextBlock', $when: '${notice != null}', text: '${notice}', wrap: true, spacing: 'Medium', color: 'Warning' },
  ],
};

export function welcomeCard(scope: WelcomeScope, options: { name?: string; notice?: string } = {}): CardJson {
  const first = options.name?.trim().split(/\s+/)[0];
  const card = expandCard(template, {
    greeting: first ? `Welcome to Switchboard, ${first}!` : 'Welcome to Switchboard!',
    steps: FIRST_STEPS[scope].map((step, i) => ({ number: i + 1, ...step })),
    notice: options.notice ?? null,
  });
  card.actions = [executeAction('Show every command', 'command.run', { command: 'help' })];
  return card;
}

/** The first words of the three steps (the manifest test checks they are commands the bot has). */
export function welcomeCommands(scope: WelcomeScope): string[] {
  return FIRST_STEPS[scope].map((s) => s.command);
}
