// Cross-reference checks of the queues in a front-desk file, reported at their field (front-desk-file.ts turns the
// path into a line): unknown queues, agents who are not Teams users, actions Graph does not allow where they are used.
import type { QueueActionOf, QueueConfigOf } from './queue-schema.js';

export interface QueueProblem {
  path: Array<string | number>;
  message: string;
}

/** What the checks need of the front desk (a structural view, so this file depends on no schema). */
export interface QueueDeskView<P> {
  people: Record<string, string>;
  groups: Record<string, string[]>;
  queues: Record<string, QueueConfigOf<P>>;
}

const PHONE = /^\+[1-9]\d{6,14}$/;
/** Queue → queue moves a caller may make (overflow or timeout into another queue) before the last one's action stands. */
export const MAX_QUEUE_HOPS = 3;

/** An `enqueue` at `path`; `answered`: the caller has been answered by then (a menu), so no voicemail redirect. */
export function enqueueProblems<P>(desk: QueueDeskView<P>, queue: string, path: Array<string | number>, answered: boolean): QueueProblem[] {
  const config = desk.queues[queue];
  if (!config) return [{ path, message: `there is no queue "${queue}"` }];
  if (answered && config.overflow.action === 'voicemail') {
    return [{ path, message: `queue "${queue}" overflows to voicemail, which Graph allows only before a call is answered, and a menu has answered it: enqueue from a rule, or overflow with transfer, hangup, queue or callback` }];
  }
  return [];
}

/** Every problem inside the `queues` section; `isPerson` says whether a reference is a UPN, user id, phone or alias. */
export function queueReferenceProblems<P>(desk: QueueDeskView<P>, isPerson: (ref: string) => boolean): QueueProblem[] {
  const found: QueueProblem[] = [];
  const resolvesToPhone = (ref: string) => PHONE.test(desk.people[ref] ?? ref);
  for (const [name, queue] of Object.entries(desk.queues)) {
    const at = (...rest: Array<string | number>) => ['queues', name, ...rest];
    queue.agents.forEach((agent, i) => {
      if (!isPerson(agent)) found.push({ path: at('agents', i), message: `"${agent}" is not a UPN or user id, nor an alias under people` });
      else if (resolvesToPhone(agent)) found.push({ path: at('agents', i), message: `"${agent}" is a phone number: agents are Teams users (presence, and the call is handed over in Teams)` });
    });
    if (queue.group !== undefined && !(queue.group in desk.groups)) found.push({ path: at('group'), message: `there is no group "${queue.group}"` });
    if (queue.group !== undefined) {
      (desk.groups[queue.group] ?? []).forEach((member, i) => {
        if (resolvesToPhone(member)) found.push({ path: ['groups', queue.group!, i], message: `"${member}" is a phone number and cannot be an agent of queue "${name}": agents are Teams users` });
      });
    }
    if (queue.music !== undefined && !(typeof queue.music === 'object' && queue.music !== null && 'file' in queue.music)) {
      found.push({ path: at('music'), message: 'hold music is a WAV file: { "file": "music.wav" } (16 kHz mono 16-bit), or leave it out for Switchboard\'s own' });
    }
    if (queue.agents.length === 0 && queue.group === undefined) found.push({ path: at('agents'), message: 'a queue needs agents (people) or a group' });
    for (const which of ['overflow', 'timeout', 'noAgents'] as const) {
      const action = queue[which];
      if (action) found.push(...actionProblems(desk, name, action, at(which), which === 'timeout', isPerson));
    }
  }
  return found;
}

function actionProblems<P>(desk: QueueDeskView<P>, from: string, action: QueueActionOf<P>, path: Array<string | number>, answered: boolean, isPerson: (ref: string) => boolean): QueueProblem[] {
  switch (action.action) {
    case 'transfer':
      return isPerson(action.to) ? [] : [{ path: [...path, 'to'], message: `"${action.to}" is not a UPN, user id or +phone number, nor an alias under people` }];
    case 'voicemail':
      if (answered) return [{ path, message: 'a caller who timed out has been answered, and Graph redirects to voicemail only before answering: use transfer, hangup, queue or callback' }];
      return isPerson(action.to) && !PHONE.test(desk.people[action.to] ?? action.to) ? [] : [{ path: [...path, 'to'], message: `"${action.to}" must be a Teams user (their voicemail), as a UPN, user id or alias` }];
    case 'queue':
      if (action.queue === from) return [{ path: [...path, 'queue'], message: 'a queue cannot send its callers to itself' }];
      return enqueueProblems(desk, action.queue, [...path, 'queue'], true);
    default:
      return [];
  }
}

/** Every person a queue names (agents and action targets), for the front desk to resolve once. */
export function queuePeople<P>(queue: QueueConfigOf<P>): string[] {
  const refs = [...queue.agents];
  for (const action of [queue.overflow, queue.timeout, queue.noAgents]) if (action && (action.action === 'transfer' || action.action === 'voicemail')) refs.push(action.to);
  return refs;
}

/** Every prompt a queue plays, with its path (prompt files are read and checked with the menus'). */
export function* queuePrompts<P>(queues: Record<string, QueueConfigOf<P>>): Generator<{ prompt: P; path: Array<string | number> }> {
  for (const [name, queue] of Object.entries(queues)) {
    if (queue.greeting) yield { prompt: queue.greeting, path: ['queues', name, 'greeting'] };
    if (queue.music) yield { prompt: queue.music, path: ['queues', name, 'music'] };
    for (const which of ['overflow', 'timeout', 'noAgents'] as const) {
      const action = queue[which];
      if (action && 'prompt' in action && action.prompt) yield { prompt: action.prompt, path: ['queues', name, which, 'prompt'] };
    }
  }
}
