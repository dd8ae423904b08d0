// The card a person sees when something failed: what happened in plain words and what to do, never a stack trace.
import { expandCard, type CardJson } from './card-template.js';

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', color: 'Attention', wrap: true },
    { type: 'TextBlock', text: '${cause}', wrap: true },
    { type: 'TextBlock', $when: '${advice != null}', text: '**What to do:** ${advice}', wrap: true },
    { type: 'TextBlock', $when: '${reference != null}', text: 'Reference: ${reference}', isSubtle: true, size: 'Small', wrap: true },
  ],
};

export interface ErrorCardInput {
  title: string;
  cause: string;
  advice?: string;
  /** Graph request id or error code, for support. */
  reference?: string;
}

export function errorCard(input: ErrorCardInput): CardJson {
  return expandCard(template, { title: input.title, cause: input.cause, advice: input.advice ?? null, reference: input.reference ?? null });
}
