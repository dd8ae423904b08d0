// The help card: every command the bot has, with its usage and an example, rendered from a template.
// Usages keep their <placeholders> visible (expandCard shows them as ‹person›; Teams would drop a bare <person>).
import type { Attachment } from 'botbuilder';
import { asAttachment, expandCard, type CardJson } from './card-template.js';

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: 'Switchboard', weight: 'Bolder', size: 'Large', wrap: true },
    { type: 'TextBlock', text: '${intro}', wrap: true, spacing: 'Small', isSubtle: true },
    {
      type: 'Container',
      spacing: 'Medium',
      items: [
        {
          $data: '${commands}',
          type: 'Container',
          spacing: 'Medium',
          items: [
            { type: 'TextBlock', text: '**${usage}**', wrap: true },
            { type: 'TextBlock', text: '${summary}', wrap: true, spacing: 'None' },
            { type: 'TextBlock', $when: '${example != null}', text: 'Example: ${example}', wrap: true, spacing: 'None', isSubtle: true },
          ],
        },
      ],
    },
    { type: 'TextBlock', $when: '${footer != null}', text: '${footer}', wrap: true, spacing: 'Medium', isSubtle: true, size: 'Small' },
  ],
};

export interface HelpCardCommand {
  usage: string;
  summary: string;
  example?: string;
}

export function helpCard(commands: HelpCardCommand[], intro: string, footer?: string): Attachment {
  return asAttachment(
    expandCard(template, {
      intro,
      commands: commands.map((c) => ({ usage: c.usage, summary: c.summary, example: c.example ?? null })),
      footer: footer ?? null,
    }),
  );
}
