// Participant operations on a group call or meeting: list/get, invite (≤5, or move a peer-to-peer call in with
// replacesCallId), mute, remove, hold music.
import type { ClientContextRequest, InviteParticipantsRequest, StartHoldMusicRequest } from '../../graph-models/index.js';
import type { GraphClient } from '../graph/index.js';
import { callPath, checkClientContext, checkCount, checkId, invalidArgument } from './action-arguments.js';
import { toInvitation, type CallTarget } from './call-targets.js';
import { participantSchema, type CommsOperation, type Participant } from './graph-shapes.js';
import { mediaPrompt, type PromptInput } from './media-actions.js';
import { readOperation } from './operation-response.js';
import { CallError } from './call-error.js';
import { z } from 'zod';

function participantPath(callId: string, participantId: string, ...rest: string[]): string {
  return callPath(callId, 'participants', encodeURIComponent(checkId(participantId, 'participantId')), ...rest);
}

function parseParticipants(body: unknown): Participant[] {
  const res = z.object({ value: z.array(participantSchema) }).loose().safeParse(body);
  if (!res.success) throw new CallError('calls/invalid-response', 'Graph answered with a participant list that is not valid');
  return res.data.value;
}

/** Calls.Initiate.All (checked at join) · call-list-participants */
export async function listParticipants(graph: GraphClient, callId: string): Promise<Participant[]> {
  return parseParticipants(await graph.get<unknown>(callPath(callId, 'participants')));
}

/** Calls.Initiate.All (checked at join) · participant-get */
export async function getParticipant(graph: GraphClient, callId: string, participantId: string): Promise<Participant> {
  const res = participantSchema.safeParse(await graph.get<unknown>(participantPath(callId, participantId)));
  if (!res.success) throw new CallError('calls/invalid-response', 'Graph answered with a participant that is not valid');
  return res.data;
}

export interface Invitee {
  target: CallTarget;
  /** Move the invitee's existing (peer-to-peer) call with the bot into this group call. Only with a single invitee. */
  replacesCallId?: string;
  participantId?: string;
}

/** Calls.InitiateGroupCall.All · participant-invite (≤5; async: completes by notification, then a roster update) */
export async function inviteParticipants(
  graph: GraphClient,
  callId: string,
  invitees: Invitee[],
  options: { clientContext?: string } = {},
): Promise<CommsOperation> {
  checkCount(invitees, 'participants', 1, 5);
  if (invitees.length > 1 && invitees.some((i) => i?.replacesCallId !== undefined)) {
    throw invalidArgument('replacesCallId only works with a single invitee (Graph honours just the first)');
  }
  const body: InviteParticipantsRequest = {
    participants: invitees.map((i) =>
      toInvitation(i.target, {
        ...(i.replacesCallId !== undefined ? { replacesCallId: i.replacesCallId } : {}),
        ...(i.participantId !== undefined ? { participantId: i.participantId } : {}),
      }),
    ),
  };
  const clientContext = checkClientContext(options.clientContext);
  if (clientContext !== undefined) body.clientContext = clientContext;
  const res = await graph.post<unknown>(callPath(callId, 'participants', 'invite'), body);
  return readOperation(res, 'inviteParticipantsOperation');
}

/** Calls.Initiate.All (checked at join) · participant-mute (server mute; roster update follows) */
export async function muteParticipant(
  graph: GraphClient,
  callId: string,
  participantId: string,
  options: { clientContext?: string } = {},
): Promise<CommsOperation> {
  const body: ClientContextRequest = {};
  const clientContext = checkClientContext(options.clientContext);
  if (clientContext !== undefined) body.clientContext = clientContext;
  const res = await graph.post<unknown>(participantPath(callId, participantId, 'mute'), body, { repeatable: true });
  return readOperation(res, 'muteParticipantOperation');
}

/** Calls.JoinGroupCall.All (+ tenant AllowRemoveParticipantAppIds) · participant-delete */
export async function removeParticipant(graph: GraphClient, callId: string, participantId: string): Promise<void> {
  await graph.delete(participantPath(callId, participantId), { repeatable: true });
}

/**
 * Calls.JoinGroupCallAsGuest.All (least) or Calls.JoinGroupCall.All — the page's current table; an earlier revision
 * says "None: checked when the app joins or starts the call" · participant-startholdmusic.
 * Body: `customPrompt` (a mediaPrompt, optional: Teams' own music otherwise), `clientContext` (≤ 256). Answers
 * `202 Accepted` + Location + a `running` startHoldMusicOperation; completes by a `deleted` notification on the
 * operation. Only one participant can be on hold at a time. Its completion notification has been seen not to arrive
 * (microsoft-graph-comms-samples #710): don't block a flow on it — wait with a timeout and carry on.
 */
export async function startHoldMusic(
  graph: GraphClient,
  callId: string,
  participantId: string,
  options: { customPrompt?: PromptInput; clientContext?: string } = {},
): Promise<CommsOperation> {
  const body: StartHoldMusicRequest = {};
  if (options.customPrompt !== undefined) body.customPrompt = mediaPrompt(options.customPrompt);
  const clientContext = checkClientContext(options.clientContext);
  if (clientContext !== undefined) body.clientContext = clientContext;
  const res = await graph.post<unknown>(participantPath(callId, participantId, 'startHoldMusic'), body);
  return readOperation(res, 'startHoldMusicOperation');
}

/**
 * Calls.JoinGroupCallAsGuest.All (least) or Calls.JoinGroupCall.All (as startHoldMusic) · participant-stopholdmusic.
 * Body: `clientContext` only. `202 Accepted` + Location + a `running` stopHoldMusicOperation; completes by notification.
 */
export async function stopHoldMusic(
  graph: GraphClient,
  callId: string,
  participantId: string,
  options: { clientContext?: string } = {},
): Promise<CommsOperation> {
  const body: ClientContextRequest = {};
  const clientContext = checkClientContext(options.clientContext);
  if (clientContext !== undefined) body.clientContext = clientContext;
  const res = await graph.post<unknown>(participantPath(callId, participantId, 'stopHoldMusic'), body);
  return readOperation(res, 'stopHoldMusicOperation');
}
