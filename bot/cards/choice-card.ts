// "Which one did you mean?": when a name matches several people, one button per match that reruns the command.
import { executeAction, expandCard, type CardJson } from './card-template.js';

export interface Choice {
  title: string;
  subtitle?: string;
  /** The command text to run when chosen, e.g. "call jonas.lindqvist@contoso.com". */
  command: string;
}

export function choiceCard(question: string, choices: Choice[]): CardJson {
  const card = expandCard({ body: [{ type: 'TextBlock', text: '${question}', wrap: true, weight: 'Bolder' }] }, { question });
  card.actions = choices.slice(0, 6).map((c) => executeAction(c.subtitle ? `${c.title} (${c.subtitle})` : c.title, 'command.run', { command: c.command }));
  return card;
}
