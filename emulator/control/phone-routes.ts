// Control routes for the emulated phone network: the numbers outside the tenant (what each does when the bot calls,
// the calls it is in, what rings it), the tenant's application instances (resource accounts with phone numbers), and
// a phone dialling an instance's number. A phone answers, declines, presses keys and hangs up through the same call
// routes as people (`POST /emulator/calls/{id}/answer { "person": "+14255550142" }`…).

import { z } from 'zod';
import type { CallsEngine } from '../calls/calls-engine.js';
import { dial } from '../calls/incoming-calls.js';
import { instanceToDial } from '../calls/pstn.js';
import { EmulatorError } from '../emulator-error.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const behaviorSchema = z.strictObject({
  onCall: z.enum(['auto', 'manual', 'answer', 'decline', 'busy', 'ignore']),
  answerDelayMs: z.number().int().min(0).max(600_000).optional(),
});
const dialSchema = z.strictObject({ to: z.string().min(1).max(256).optional() });

export function phoneRoutes(engine: CallsEngine): ControlRoute[] {
  const phone = (number: string | undefined) => {
    const found = number ? engine.deps.directory.findPhone(number) : undefined;
    if (!found) throw new EmulatorError('emulator/unknown-phone', `There is no phone '${number ?? ''}' on the emulated phone network: GET /emulator/phones lists them.`, 404);
    return found;
  };
  const view = (number: string) => {
    const p = phone(number);
    return {
      number: p.id,
      ...(p.displayName !== p.id ? { displayName: p.displayName } : {}),
      behavior: engine.behaviors.get(p.id),
      behaviorIsDefault: engine.behaviors.isDefault(p.id),
      callIds: [...engine.calls.values()].filter((c) => c.state !== 'terminated' && engine.personIn(c.conversation, p.id)).map((c) => c.id),
      ringing: engine.ringing.forPerson(p.id).map((r) => ({ callId: r.callId, reason: r.reason, since: r.since })),
    };
  };
  return [
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/phones`,
      description: 'The emulated phone network (PSTN numbers outside the tenant) with each phone\'s behaviour, calls and rings: { value: [{ number, displayName?, behavior, callIds, ringing }] }.',
      handle: () => jsonReply(200, { value: engine.deps.directory.phones().map((p) => view(p.id)) }),
    },
    {
      method: 'PUT',
      path: `${CONTROL_PREFIX}/phones/:number/behavior`,
      description: 'What a phone does when the bot calls, transfers or redirects to it: { onCall: auto|manual|answer|decline|busy|ignore, answerDelayMs? } → the phone. Answer, decline, keys and hang-up by hand: the /emulator/calls/{id}/… routes with { "person": "+E.164" }.',
      handle: (request, params) => {
        const body = parseWith(behaviorSchema, parseJsonBody(request));
        const p = phone(params.number);
        engine.behaviors.set(p.id, body);
        engine.events.emit('person.behavior', { person: p.id, onCall: body.onCall });
        return jsonReply(200, view(p.id));
      },
    },
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/phones/:number/dial`,
      description: 'The phone calls an application instance\'s number: { to?: instance object id, UPN or number (default: the first whose app has a calling webhook) } → 201 { callId, applicationInstanceId }. The app gets the incoming call with targets[0].identity.applicationInstance.',
      handle: (request, params) => {
        const body = parseWith(dialSchema, parseJsonBody(request) ?? {});
        const p = phone(params.number);
        const instance = instanceToDial(engine, body.to);
        const call = dial(engine, p, { instance });
        return jsonReply(201, { callId: call.id, applicationInstanceId: instance.id });
      },
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/application-instances`,
      description: 'The tenant\'s application instances (resource accounts): { value: [{ id, displayName, userPrincipalName, phoneNumber, applicationId }] }.',
      handle: () => jsonReply(200, { value: engine.deps.directory.applicationInstances() }),
    },
  ];
}
