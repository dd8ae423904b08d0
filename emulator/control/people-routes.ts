// Control routes for emulated people on calls: list them with their behaviour and calls, set what they do when the
// bot calls them, and have one dial the app.

import { z } from 'zod';
import { dial } from '../calls/incoming-calls.js';
import type { CallsEngine } from '../calls/calls-engine.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const behaviorSchema = z.strictObject({
  onCall: z.enum(['auto', 'manual', 'answer', 'decline', 'busy', 'ignore']),
  answerDelayMs: z.number().int().min(0).max(600_000).optional(),
});
const dialSchema = z.strictObject({ appId: z.string().min(1).optional(), subject: z.string().max(256).optional() });

export function peopleRoutes(engine: CallsEngine): ControlRoute[] {
  const view = (id: string) => {
    const user = engine.requirePerson(id);
    const callIds = [...engine.calls.values()]
      .filter((c) => c.state !== 'terminated' && engine.personIn(c.conversation, user.id))
      .map((c) => c.id);
    return {
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      behavior: engine.behaviors.get(user.id),
      /** Nobody set this person's behaviour: they follow the emulator's default (peopleAnswer). */
      behaviorIsDefault: engine.behaviors.isDefault(user.id),
      callIds,
      ringing: engine.ringing.forPerson(user.id).map((r) => ({ callId: r.callId, reason: r.reason, since: r.since })),
    };
  };
  return [
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/people`,
      description: 'Emulated people with their on-call behaviour, the calls they are in and what is ringing them: { value: [...] }.',
      handle: () => jsonReply(200, { value: engine.deps.directory.list().map((u) => view(u.id)) }),
    },
    {
      method: 'PUT',
      path: `${CONTROL_PREFIX}/people/:person/behavior`,
      description: 'What a person (id or UPN) does when the bot calls, invites or transfers to them: { onCall: auto|manual|answer|decline|busy|ignore, answerDelayMs? } → the person. auto: answers after a couple of rings and presses 1 when a prompt asks.',
      handle: (request, params) => {
        const body = parseWith(behaviorSchema, parseJsonBody(request));
        const user = engine.requirePerson(params.person);
        engine.behaviors.set(user.id, body);
        engine.events.emit('person.behavior', { person: user.id, onCall: body.onCall });
        return jsonReply(200, view(user.id));
      },
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/people/:person/dial`,
      description: 'The person calls the app (default: the first app with a calling webhook): { appId?, subject? } → 201 { callId }.',
      handle: (request, params) => {
        const body = parseWith(dialSchema, parseJsonBody(request) ?? {});
        const user = engine.requirePerson(params.person);
        const call = dial(engine, user, body);
        return jsonReply(201, { callId: call.id });
      },
    },
  ];
}
