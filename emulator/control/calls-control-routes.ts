// Control routes for calls: the emulator's view of every call (the truth tests compare the app against), and what
// emulated people do in them — answer, decline, press keys, speak (words too), hold, hang up, join, leave, mute
// themselves, share.

import { z } from 'zod';
import type { CallsEngine } from '../calls/calls-engine.js';
import { callView } from '../calls/call-view.js';
import { checkSpokenText } from '../calls/emulated-voice.js';
import * as people from '../calls/people-actions.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import type { EmulatorRequest } from '../http/http-types.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const personSchema = z.strictObject({ person: z.string().min(1) });
const optionalPersonSchema = z.strictObject({ person: z.string().min(1).optional() });
const declineSchema = z.strictObject({ person: z.string().min(1), reason: z.enum(['decline', 'busy']).optional() });
const tonesSchema = z.strictObject({ person: z.string().min(1).optional(), tones: z.string().min(1).max(100) });
const speakSchema = z
  .strictObject({
    person: z.string().min(1).optional(),
    seconds: z.number().positive().max(120).optional(),
    text: z.string().max(2000).optional(),
    language: z.string().min(1).max(35).optional(),
    mumble: z.boolean().optional(),
  })
  .refine((b) => b.text === undefined || b.seconds === undefined, { message: 'give either "text" (words) or "seconds" (speaking without words), not both' })
  .refine((b) => b.text !== undefined || (b.language === undefined && b.mumble === undefined), { message: '"language" and "mumble" go with "text"' });
const muteSchema = z.strictObject({ muted: z.boolean() });
const shareSchema = z.strictObject({ sharing: z.boolean() });

const CALLS = `${CONTROL_PREFIX}/calls`;

export function callsControlRoutes(engine: CallsEngine): ControlRoute[] {
  const body = <S extends z.ZodType>(request: EmulatorRequest, schema: S): z.infer<S> => parseWith(schema, parseJsonBody(request) ?? {});
  const call = (id: string | undefined) => engine.knownCall(id ?? '');
  const ok = (id: string, extra: Record<string, unknown> = {}) => jsonReply(200, { ...extra, call: callView(engine, call(id)) });

  return [
    {
      method: 'GET',
      path: CALLS,
      description: 'Every call the calling service holds (newest last): state, direction, participants, ringing people, prompts, operations, tones, notifications: { value: [...] }.',
      handle: () => jsonReply(200, { value: [...engine.calls.values()].map((c) => callView(engine, c)) }),
    },
    {
      method: 'GET',
      path: `${CALLS}/:callId`,
      description: 'One call as the emulator sees it.',
      handle: (_r, p) => jsonReply(200, callView(engine, call(p.callId))),
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/answer`,
      description: 'A ringing person answers the bot\'s call, invite, transfer or redirect: { person } → { call }.',
      handle: (r, p) => {
        people.answerRing(engine, call(p.callId), engine.requirePerson(body(r, personSchema).person));
        return ok(p.callId!);
      },
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/decline`,
      description: 'A ringing person declines: { person, reason?: decline|busy } → { call }.',
      handle: (r, p) => {
        const b = body(r, declineSchema);
        people.declineRing(engine, call(p.callId), engine.requirePerson(b.person), b.reason);
        return ok(p.callId!);
      },
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/tones`,
      description: 'A person presses keys: { person?, tones: "12#" } (0-9, *, #, A-D) → { tones, notified, call }. Tone notifications reach the bot only after subscribeToTone.',
      handle: (r, p) => {
        const b = body(r, tonesSchema);
        return ok(p.callId!, people.pressKeys(engine, call(p.callId), b.person, b.tones));
      },
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/speak`,
      description: 'A person speaks: { person?, text, language?=en-us, mumble? } says a sentence (≤ 300 characters) that the running recordResponse records as speech → { heardByRecording, seconds, language, mumbled, call } (409 when nothing listens, 503 without the espeak-ng voice); { person?, seconds?=2 } speaks without words for that long (media time) → { heardByRecording, call }.',
      handle: async (r, p) => {
        const b = body(r, speakSchema);
        if (b.text === undefined) return ok(p.callId!, people.speak(engine, call(p.callId), b.person, b.seconds ?? 2));
        checkSpokenText(b.text);
        const said = await people.say(engine, call(p.callId), b.person, { text: b.text, ...(b.language ? { language: b.language } : {}), ...(b.mumble !== undefined ? { mumble: b.mumble } : {}) });
        return ok(p.callId!, said);
      },
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/hold`,
      description: 'A person puts the call on hold: { person } → { call }.',
      handle: (r, p) => {
        people.setHold(engine, call(p.callId), body(r, personSchema).person, true);
        return ok(p.callId!);
      },
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/resume`,
      description: 'A person resumes a held call: { person } → { call }.',
      handle: (r, p) => {
        people.setHold(engine, call(p.callId), body(r, personSchema).person, false);
        return ok(p.callId!);
      },
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/hangup`,
      description: 'A person hangs up: { person? } → { outcome, call }. P2P: the call ends for the bot (200/4521); before answer: 487; group/meeting: the person leaves.',
      handle: (r, p) => ok(p.callId!, { outcome: people.hangUpPerson(engine, call(p.callId), body(r, optionalPersonSchema).person) }),
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/people`,
      description: 'A person joins a group call or meeting: { person } → 201 { participantId, call }.',
      handle: (r, p) => {
        const participant = people.join(engine, call(p.callId), engine.requirePerson(body(r, personSchema).person));
        return jsonReply(201, { participantId: participant.id, call: callView(engine, call(p.callId)) });
      },
    },
    {
      method: 'DELETE',
      path: `${CALLS}/:callId/people/:person`,
      description: 'A person leaves the call → { call }.',
      handle: (_r, p) => {
        people.leavePerson(engine, call(p.callId), p.person!);
        return ok(p.callId!);
      },
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/people/:person/mute`,
      description: 'A person mutes or unmutes themselves: { muted } → { call }.',
      handle: (r, p) => {
        people.selfMute(engine, call(p.callId), p.person!, body(r, muteSchema).muted);
        return ok(p.callId!);
      },
    },
    {
      method: 'POST',
      path: `${CALLS}/:callId/people/:person/share`,
      description: 'A person starts or stops sharing their screen: { sharing } → { call }. Legs with callOptions.isContentSharingNotificationEnabled get contentSharingSession created/updated/deleted; group calls and meetings a roster update.',
      handle: (r, p) => {
        people.setSharing(engine, call(p.callId), p.person!, body(r, shareSchema).sharing);
        return ok(p.callId!);
      },
    },
  ];
}
