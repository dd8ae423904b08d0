// The live call card: one message per call, updated in place as the call rings, connects and ends.
import type { CallSession } from '../../comms/calls/index.js';
import { describeEnd } from './describe-end.js';
import { executeAction, expandCard, type CardJson } from './card-template.js';

const template: CardJson = {
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: 'Status', value: '${status}' },
        { $when: '${duration != null}', title: 'Duration', value: '${duration}' },
        { $when: '${result != null}', title: 'Result', value: '${result}' },
      ],
    },
    { type: 'TextBlock', $when: '${note != null}', text: '${note}', wrap: true, isSubtle: true, size: 'Small' },
  ],
};

const STATUS: Record<string, string> = {
  incoming: 'Incoming',
  establishing: 'Ringing…',
  ringing: 'Ringing…',
  established: 'Connected',
  hold: 'On hold',
  transferring: 'Transferring…',
  transferAccepted: 'Transferring…',
  redirecting: 'Redirecting…',
  terminating: 'Ending…',
  terminated: 'Ended',
};

export interface CallCardInput {
  call: Pick<CallSession, 'id' | 'state' | 'resultInfo' | 'createdAt' | 'updatedAt'>;
  who: string;
  /** When it connected (for the duration). */
  connectedAt?: string;
  now?: Date;
}

export function callCard({ call, who, connectedAt, now = new Date() }: CallCardInput): CardJson {
  const ended = call.state === 'terminated';
  const end = ended ? Date.parse(call.updatedAt) : now.getTime();
  const card = expandCard(template, {
    title: `Call with ${who}`,
    status: STATUS[call.state] ?? call.state,
    duration: connectedAt ? formatDuration(end - Date.parse(connectedAt)) : null,
    result: ended ? describeEnd(call.resultInfo) : null,
    note: ended ? null : 'This card updates as the call goes on.',
  });
  if (!ended) card.actions = [executeAction('Hang up', 'call.hangup', { callId: call.id }, 'destructive')];
  return card;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}
