// Control routes for crowds of callers and for the calls people have with each other after a transfer: several
// emulated people dial the app at once (a queue filling up), and the direct calls a transfer leaves behind are listed
// and hung up (an agent finishing with a caller).

import { z } from 'zod';
import { dial } from '../calls/incoming-calls.js';
import { pressKeys } from '../calls/people-actions.js';
import type { CallsEngine } from '../calls/calls-engine.js';
import { EmulatorError } from '../emulator-error.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const callersSchema = z.strictObject({
  people: z.array(z.string().min(1).max(256)).min(1).max(200),
  appId: z.string().min(1).optional(),
  subject: z.string().max(256).optional(),
  /** Keys each caller presses once the bot's first prompt starts (e.g. the menu option that leads to a queue). */
  keys: z.string().regex(/^[0-9*#A-D]{1,20}$/i).optional(),
});
const hangupSchema = z.strictObject({ person: z.string().min(1).max(256).optional() });

export function callersRoutes(engine: CallsEngine): ControlRoute[] {
  return [
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/callers`,
      description: 'Several people dial the app at once, in order: { people: [id or UPN…], appId?, subject?, keys? } → 201 { callIds } (keys: pressed when the bot\'s first prompt starts).',
      handle: (request) => {
        const body = parseWith(callersSchema, parseJsonBody(request));
        const users = body.people.map((p) => engine.requirePerson(p));
        const busy = users.find((u) => [...engine.calls.values()].some((c) => c.state !== 'terminated' && c.direction === 'incoming' && c.peerPersonId?.toLowerCase() === u.id.toLowerCase()));
        if (busy) throw new EmulatorError('emulator/already-in-call', `${busy.displayName} is already calling the app: one call per person.`, 409);
        const callIds = users.map((user) => {
          const call = dial(engine, user, { appId: body.appId, subject: body.subject });
          if (body.keys) pressOnFirstPrompt(engine, call.id, user.id, body.keys);
          return call.id;
        });
        engine.events.emit('callers.dialled', { count: callIds.length, callIds });
        return jsonReply(201, { callIds });
      },
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/direct-calls`,
      description: 'Calls between two people after a transfer (no bot leg; both Busy/InACall): { value: [{ id, people, since, endedAt, fromCallId, consultative }] }.',
      handle: () => jsonReply(200, { value: engine.directCalls.list().map((c) => engine.directCalls.view(c)) }),
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/direct-calls/:id/hangup`,
      description: 'One of the two hangs up a direct call: { person? } → the call (their presence follows).',
      handle: (request, params) => {
        const body = parseWith(hangupSchema, parseJsonBody(request) ?? {});
        const call = engine.directCalls.get(params.id!);
        if (!call) throw new EmulatorError('emulator/unknown-call', `There is no direct call '${params.id}': GET /emulator/direct-calls lists them.`, 404);
        engine.directCalls.hangUp(call, body.person ? engine.requirePerson(body.person).id : undefined);
        return jsonReply(200, engine.directCalls.view(call));
      },
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/people/:person/hang-up-direct`,
      description: 'The person hangs up the direct call they are in (after a transfer to or from them) → the call, or 409 when they are in none.',
      handle: (_request, params) => {
        const user = engine.requirePerson(params.person);
        const call = engine.directCalls.forPerson(user.id);
        if (!call) throw new EmulatorError('emulator/not-in-call', `${user.displayName} is not in a direct call: GET /emulator/direct-calls lists them.`, 409);
        engine.directCalls.hangUp(call, user.id);
        return jsonReply(200, engine.directCalls.view(call));
      },
    },
  ];
}

/** Presses `keys` once the bot starts its first prompt on the call (barge-in, as a caller who knows the menu does). */
function pressOnFirstPrompt(engine: CallsEngine, callId: string, personId: string, keys: string): void {
  const off = engine.events.subscribe((event) => {
    if (event.callId !== callId) return;
    if (event.type === 'call.ended') return off();
    if (event.type !== 'prompt.started') return;
    off();
    engine.scheduler.after(0, () => {
      const call = engine.calls.get(callId);
      if (call?.state === 'established') pressKeys(engine, call, personId, keys);
    });
  });
}
