// Work that takes longer than Teams waits for a reply (ringing someone into a meeting, muting a thousand people):
// this card is sent at once, says what is under way, and is replaced in place with the outcome.
import { expandCard, type CardJson } from './card-template.js';

export type ProgressState = 'running' | 'done' | 'failed';

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${status}', wrap: true, spacing: 'Small', color: '${color}' },
    { type: 'Container', items: [{ $data: '${lines}', type: 'TextBlock', text: '${$data}', wrap: true, spacing: 'None' }] },
    { type: 'TextBlock', $when: '${note != null}', text: '${note}', wrap: true, isSubtle: true, size: 'Small' },
  ],
};

const STATUS: Record<ProgressState, { text: string; color: string }> = {
  running: { text: 'Under way…', color: 'Default' },
  done: { text: 'Done', color: 'Good' },
  failed: { text: 'Did not work', color: 'Attention' },
};

export interface ProgressCardInput {
  title: string;
  state: ProgressState;
  lines?: string[];
  note?: string;
}

export function progressCard({ title, state, lines = [], note }: ProgressCardInput): CardJson {
  return expandCard(template, { title, status: STATUS[state].text, color: STATUS[state].color, lines, note: note ?? (state === 'running' ? 'This card updates when it is done.' : null) });
}
