// Control routes for meetings: the application access policy, every meeting with its live roster (the truth tests
// compare the app's roster against), people joining, leaving, muting, raising hands and sharing, and scripted
// attendees (N people over T seconds, deterministic by seed).

import { z } from 'zod';
import type { CallsEngine } from '../calls/calls-engine.js';
import type { UserDirectory } from '../directory/user-directory.js';
import type { EmulatedUser } from '../emulator-options.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import type { EmulatorRequest } from '../http/http-types.js';
import { stableGuid } from '../identity/stable-id.js';
import type { AccessPolicy } from '../meetings/access-policy.js';
import type { AttendeeScripts } from '../meetings/attendee-scripts.js';
import type { MeetingRef, MeetingRooms } from '../meetings/meeting-rooms.js';
import type { MeetingStore } from '../meetings/meeting-store.js';
import { meetingView, personEntry } from '../meetings/meeting-view.js';
import { SYNTHETIC_DOMAIN } from '../meetings/synthetic-people.js';
import { EmulatorError } from '../emulator-error.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

export interface MeetingsControlDeps {
  engine: CallsEngine;
  directory: UserDirectory;
  policy: AccessPolicy;
  store: MeetingStore;
  rooms: MeetingRooms;
  scripts: AttendeeScripts;
}

const policySchema = z.strictObject({ global: z.boolean().optional(), userIds: z.array(z.string().min(1)).optional() });
const guestSchema = z.strictObject({ displayName: z.string().min(1).max(256), id: z.string().uuid().optional() });
const joinSchema = z.strictObject({ person: z.union([z.string().min(1), guestSchema]) });
const muteSchema = z.strictObject({ muted: z.boolean() });
const handSchema = z.strictObject({ raised: z.boolean() });
const shareSchema = z.strictObject({ sharing: z.boolean() });
const scriptSchema = z.strictObject({
  count: z.number().int().min(1).max(20_000),
  overSeconds: z.number().min(0).max(86_400),
  muteFraction: z.number().min(0).max(1).optional(),
  leaveFraction: z.number().min(0).max(1).optional(),
  seed: z.union([z.string().min(1).max(200), z.number()]).optional(),
  people: z.enum(['directory', 'synthetic']).optional(),
});

const MEETINGS = `${CONTROL_PREFIX}/meetings`;

export function meetingsControlRoutes(deps: MeetingsControlDeps): ControlRoute[] {
  const body = <S extends z.ZodType>(request: EmulatorRequest, schema: S): z.infer<S> => parseWith(schema, parseJsonBody(request) ?? {});
  const view = (ref: MeetingRef) => ({
    ...meetingView(deps.engine, ref.threadId, ref.meeting, deps.engine.findMeetingConversation(ref.threadId)),
    scripts: deps.scripts.forMeeting(ref.threadId).map((s) => s.view()),
  });

  return [
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/access-policy`,
      description: 'The application access policy for online meetings: { global, userIds }. Default: granted globally.',
      handle: () => jsonReply(200, deps.policy.get()),
    },
    {
      method: 'PUT',
      path: `${CONTROL_PREFIX}/access-policy`,
      description: 'Replace the application access policy: { global?: false, userIds?: [] } (ids or UPNs) → the policy. Apps using application permissions get 403 for users it does not cover.',
      handle: (request) => {
        const b = body(request, policySchema);
        const userIds = (b.userIds ?? []).map((id) => deps.directory.find(id)?.id ?? id);
        return jsonReply(200, deps.policy.set({ global: b.global ?? false, userIds }));
      },
    },
    {
      method: 'GET',
      path: MEETINGS,
      description: 'Every meeting (onlineMeetings, and chat threads the bot or people joined) with its live roster: { value: [...] }.',
      handle: () => {
        const refs: MeetingRef[] = deps.store.list().map((m) => ({ threadId: m.threadId, meeting: m }));
        for (const conversation of deps.engine.meetingConversations()) {
          if (conversation.threadId && !refs.some((r) => r.threadId.toLowerCase() === conversation.threadId!.toLowerCase())) refs.push({ threadId: conversation.threadId });
        }
        return jsonReply(200, { value: refs.map(view) });
      },
    },
    {
      method: 'GET',
      path: `${MEETINGS}/:meetingId`,
      description: 'One meeting (onlineMeeting id, chat thread id, join link or Teams meeting id) with its live roster and scripts.',
      handle: (_r, p) => jsonReply(200, view(deps.rooms.resolve(p.meetingId!))),
    },
    {
      method: 'POST',
      path: `${MEETINGS}/:meetingId/people`,
      description: 'A person joins the meeting (the bot need not be there): { person: idOrUpn | +E.164 (a phone dialling in) | { displayName, id? } (a guest) } → 201 { participantId, person, peopleCount }.',
      handle: (request, p) => {
        const ref = deps.rooms.resolve(p.meetingId!);
        const who = body(request, joinSchema).person;
        let user: EmulatedUser;
        let synthetic = false;
        if (typeof who === 'string') {
          // A number on the phone network dials in (the meeting's toll number): a phone participant.
          const found = deps.directory.find(who) ?? deps.directory.findPhone(who);
          if (!found) throw new EmulatorError('emulator/unknown-person', `There is no emulated person or phone '${who}': GET /emulator/people and GET /emulator/phones list them (or join a guest with { person: { displayName } }).`, 404);
          user = found;
        } else {
          synthetic = true;
          const id = who.id ?? stableGuid('guest', ref.threadId, who.displayName);
          const [givenName, ...rest] = who.displayName.split(' ');
          const upn = `${who.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@${SYNTHETIC_DOMAIN}`;
          user = { id, displayName: who.displayName, givenName: givenName ?? who.displayName, surname: rest.join(' '), userPrincipalName: upn, mail: upn };
        }
        const participant = deps.rooms.join(ref, user, { synthetic });
        return jsonReply(201, { participantId: participant.id, person: personEntry(participant), peopleCount: deps.engine.people(deps.rooms.conversation(ref)).length });
      },
    },
    {
      method: 'DELETE',
      path: `${MEETINGS}/:meetingId/people/:person`,
      description: 'A person (id, UPN, guest id or participant id) leaves the meeting → { participantId, peopleCount }.',
      handle: (_r, p) => {
        const ref = deps.rooms.resolve(p.meetingId!);
        const participant = deps.rooms.leave(ref, p.person!);
        return jsonReply(200, { participantId: participant.id, peopleCount: deps.engine.people(deps.rooms.conversation(ref)).length });
      },
    },
    {
      method: 'POST',
      path: `${MEETINGS}/:meetingId/people/:person/mute`,
      description: 'A person mutes or unmutes themselves: { muted } → { person } (a roster update to the bot).',
      handle: (request, p) => {
        const ref = deps.rooms.resolve(p.meetingId!);
        return jsonReply(200, { person: personEntry(deps.rooms.setMuted(ref, p.person!, body(request, muteSchema).muted)) });
      },
    },
    {
      method: 'POST',
      path: `${MEETINGS}/:meetingId/people/:person/hand`,
      description: 'A person raises or lowers their hand: { raised } → { person } (emulator truth only: Graph rosters carry no raised hand).',
      handle: (request, p) => {
        const ref = deps.rooms.resolve(p.meetingId!);
        return jsonReply(200, { person: personEntry(deps.rooms.setHand(ref, p.person!, body(request, handSchema).raised)) });
      },
    },
    {
      method: 'POST',
      path: `${MEETINGS}/:meetingId/people/:person/share`,
      description: 'A person starts or stops sharing their screen: { sharing } → { person } (the roster shows a videoBasedScreenSharing stream; bot legs with isContentSharingNotificationEnabled get contentSharingSession created/updated/deleted).',
      handle: (request, p) => {
        const ref = deps.rooms.resolve(p.meetingId!);
        return jsonReply(200, { person: personEntry(deps.rooms.setSharing(ref, p.person!, body(request, shareSchema).sharing)) });
      },
    },
    {
      method: 'POST',
      path: `${MEETINGS}/:meetingId/script`,
      description: 'Scripted attendees: { count, overSeconds, muteFraction?, leaveFraction?, seed?, people?: synthetic|directory } → 201 the script (progress at GET …/script/{scriptId}).',
      handle: (request, p) => {
        const ref = deps.rooms.resolve(p.meetingId!);
        const script = deps.scripts.start(ref, p.meetingId!, body(request, scriptSchema));
        return jsonReply(201, script.view());
      },
    },
    {
      method: 'GET',
      path: `${MEETINGS}/:meetingId/script/:scriptId`,
      description: 'A script\'s progress: { state: running|done|cancelled, joined, muted, left, skipped, stepsDone, stepsTotal, remaining, … }.',
      handle: (_r, p) => jsonReply(200, deps.scripts.get(p.scriptId!, deps.rooms.resolve(p.meetingId!).threadId).view()),
    },
    {
      method: 'DELETE',
      path: `${MEETINGS}/:meetingId/script/:scriptId`,
      description: 'Stops a script (people already in stay) → the script.',
      handle: (_r, p) => {
        const script = deps.scripts.get(p.scriptId!, deps.rooms.resolve(p.meetingId!).threadId);
        script.cancel();
        return jsonReply(200, script.view());
      },
    },
  ];
}
