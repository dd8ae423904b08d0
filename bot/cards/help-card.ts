// The help card: every command the bot has, with its usage and an example, rendered from a template.
import * as ACData from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';

const template = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
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
  ],
};

export interface HelpCardCommand {
  usage: string;
  summary: string;
  example?: string;
}

export function helpCard(commands: HelpCardCommand[], intro: string): Attachment {
  const card = new ACData.Template(template).expand({
    $root: { intro, commands: commands.map((c) => ({ usage: c.usage, summary: c.summary, example: c.example ?? null })) },
  });
  return CardFactory.adaptiveCard(card);
}
