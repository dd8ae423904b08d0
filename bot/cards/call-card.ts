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

/** What the card says once Graph stops sending the roster (a peer-to-peer call the bot invited someone into). */
export const ROSTER_GONE = 'Roster no longer available: the call became a group call.';

export interface CallCardInput {
  call: Pick<CallSession, 'id' | 'state' | 'resultInfo' | 'createdAt' | 'updatedAt'> & Partial<Pick<CallSession, 'targets' | 'participants' | 'rosterUnavailable'>>;
  who: string;
  /** When it connected (for the duration). */
  connectedAt?: string;
  /** Shown instead of the usual note while the call rings (local mode: "answer in the emulator console"). */
  ringHint?: string | undefined;
  now?: Date;
}

export function callCard({ call, who, connectedAt, ringHint, now = new Date() }: CallCardInput): CardJson {
  const ended = call.state === 'terminated';
  const end = ended ? Date.parse(call.updatedAt) : now.getTime();
  const waiting = isGroupCall(call) && call.state === 'established' && answered(call) === 0;
  const ringing = waiting || call.state === 'establishing' || call.state === 'ringing';
  const card = expandCard(template, {
    title: `Call with ${who}`,
    status: waiting ? 'Ringing… nobody has answered yet' : STATUS[call.state] ?? call.state,
    duration: connectedAt && !waiting ? formatDuration(end - Date.parse(connectedAt)) : null,
    result: ended ? describeEnd(call.resultInfo) : null,
    note: ended ? null : ringing && ringHint ? ringHint : call.rosterUnavailable === 'escalated' ? ROSTER_GONE : 'This card updates as the call goes on.',
  });
  if (!ended) card.actions = [executeAction('Hang up', 'call.hangup', { callId: call.id }, 'destructive')];
  return card;
}

/** A group call (several people rung): the bot's own leg connects at once, before anyone answers. */
function isGroupCall(call: CallCardInput['call']): boolean {
  return (call.targets?.length ?? 0) > 1;
}

/** People (not the bot, not an application) in the call's roster. */
function answered(call: CallCardInput['call']): number {
  return (call.participants ?? []).filter((p) => {
    const identity = p.info?.identity;
    const idOf = (key: 'user' | 'application') => {
      const value = identity?.[key];
      return value && typeof value === 'object' ? value.id : undefined;
    };
    return Boolean(idOf('user')) && !idOf('application');
  }).length;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}
