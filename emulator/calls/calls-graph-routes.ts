// The Graph routes of the calling service (/communications/calls…): permissions as the reference lists them,
// bodies parsed like Graph, replies with the documented status, body and Location header.
// Mid-call actions accept any calling role (Graph checks permissions when the call is created); creating calls,
// redirect, transfer, invite, remove participant, recordResponse and subscribeToTone check their own roles.
// Hold music answers 202 with its operation (participant-startholdmusic); content sharing sessions are read-only.

import type { z } from 'zod';
import type { GraphContext, GraphPermissions, GraphResult, GraphRoute } from '../graph/graph-area.js';
import { GraphError } from '../graph/graph-error.js';
import * as actions from './call-actions.js';
import { ANY_CALLS_ROLE, requireRole, ROLE } from './call-checks.js';
import type { EmulatedCall, Json } from './call-model.js';
import type { CallsEngine } from './calls-engine.js';
import { callJson, operationJson } from './graph-shapes.js';
import * as schemas from './graph-request-schemas.js';
import { answer, redirect, reject } from './incoming-calls.js';
import * as media from './media-actions.js';
import { createCall } from './outbound-calls.js';
import { contentSharingSessionJson } from './content-sharing.js';
import { getParticipant, invite, listParticipants, muteParticipant, removeParticipant, startHoldMusic, stopHoldMusic } from './participant-actions.js';
import { transfer } from './transfer-flow.js';

const CALLS: GraphPermissions = { application: ANY_CALLS_ROLE, delegated: [] };
const CALL = '/communications/calls/:id';
const SHARING_ROLES: readonly string[] = [...ROLE.joinGroup, ...ROLE.initiate, ...ROLE.initiateGroup];

export function callsGraphRoutes(engine: CallsEngine): GraphRoute[] {
  const live = (ctx: GraphContext): EmulatedCall => engine.liveCall(ctx.params.id!, ctx.principal.appId);
  const callUrl = (ctx: GraphContext, id: string) => `${ctx.graphUrl}/communications/calls/${id}`;
  const opReply = (ctx: GraphContext, call: EmulatedCall, result: { id: string; json: Json }): GraphResult => ({
    status: 200,
    json: result.json,
    headers: { location: `${callUrl(ctx, call.id)}/operations/${result.id}` },
  });
  const body = <S extends z.ZodObject>(ctx: GraphContext, schema: S, operation: string) => schemas.parseGraphBody(ctx.request, schema, operation);

  /** An action at /communications/calls/{id}/{name}, also reachable namespace-qualified (…/microsoft.graph.{name}). */
  const action = (name: string, handle: (ctx: GraphContext, call: EmulatedCall) => GraphResult): GraphRoute[] =>
    [`${CALL}/${name}`, `${CALL}/microsoft.graph.${name}`].map((path) => ({ method: 'POST', path, permissions: CALLS, handle: (ctx) => handle(ctx, live(ctx)) }));

  return [
    // application-post-calls — P2P: Calls.Initiate.All; group: Calls.InitiateGroupCall.All; meeting: Calls.JoinGroupCall(AsGuest).All.
    {
      method: 'POST',
      path: '/communications/calls',
      permissions: CALLS,
      handle: (ctx) => {
        const app = engine.app(ctx.principal.appId);
        if (!app) throw new GraphError(403, 'Authorization_RequestDenied', 'The calling application is not registered in this tenant.');
        const parsed = schemas.parseGraphBody(ctx.request, schemas.createCallSchema, 'call', { allowed: schemas.CALL_PROPERTIES });
        const call = createCall(engine, app, ctx.principal, parsed);
        return { status: 201, json: callJson(call, `${ctx.graphUrl}/$metadata#app/calls/$entity`), headers: { location: callUrl(ctx, call.id) } };
      },
    },
    // call-get — checked at create.
    { method: 'GET', path: CALL, permissions: CALLS, handle: (ctx) => ({ status: 200, json: callJson(live(ctx), `${ctx.graphUrl}/$metadata#communications/calls/$entity`) }) },
    // call-delete — checked at create.
    {
      method: 'DELETE',
      path: CALL,
      permissions: CALLS,
      handle: (ctx) => {
        actions.hangUp(engine, live(ctx));
        return { status: 204 };
      },
    },
    // call-answer, call-reject — the call was routed to the app: any calling role.
    ...action('answer', (ctx, call) => {
      answer(engine, call, body(ctx, schemas.answerSchema, 'answer'));
      return { status: 202 };
    }),
    ...action('reject', (ctx, call) => {
      reject(engine, call, body(ctx, schemas.rejectSchema, 'reject'));
      return { status: 202 };
    }),
    // call-redirect, call-transfer — Calls.Initiate.All.
    ...action('redirect', (ctx, call) => {
      requireRole(ctx.principal, ROLE.initiate);
      redirect(engine, call, body(ctx, schemas.redirectSchema, 'redirect'));
      return { status: 202 };
    }),
    ...action('transfer', (ctx, call) => {
      requireRole(ctx.principal, ROLE.initiate);
      transfer(engine, call, body(ctx, schemas.transferSchema, 'transfer'));
      return { status: 202 };
    }),
    // call-playprompt, call-senddtmftones, call-cancelmediaprocessing — checked at create; call-record,
    // call-subscribetotone — Calls.AccessMedia.All.
    ...action('playPrompt', (ctx, call) => opReply(ctx, call, media.playPrompt(engine, call, body(ctx, schemas.playPromptSchema, 'playPrompt')))),
    ...action('recordResponse', (ctx, call) => {
      requireRole(ctx.principal, ROLE.accessMedia);
      return opReply(ctx, call, media.recordResponse(engine, call, body(ctx, schemas.recordResponseSchema, 'recordResponse')));
    }),
    ...action('subscribeToTone', (ctx, call) => {
      requireRole(ctx.principal, ROLE.accessMedia);
      return opReply(ctx, call, media.subscribeToTone(engine, call, body(ctx, schemas.clientContextSchema, 'subscribeToTone')));
    }),
    ...action('sendDtmfTones', (ctx, call) => opReply(ctx, call, media.sendDtmfTones(engine, call, body(ctx, schemas.sendDtmfTonesSchema, 'sendDtmfTones')))),
    ...action('cancelMediaProcessing', (ctx, call) => opReply(ctx, call, media.cancelMediaProcessing(engine, call, body(ctx, schemas.clientContextSchema, 'cancelMediaProcessing')))),
    // call-mute, call-unmute, call-updaterecordingstatus, call-changescreensharingrole, call-keepalive — checked at create.
    ...action('mute', (ctx, call) => opReply(ctx, call, actions.setSelfMute(engine, call, true, body(ctx, schemas.clientContextSchema, 'mute').clientContext))),
    ...action('unmute', (ctx, call) => opReply(ctx, call, actions.setSelfMute(engine, call, false, body(ctx, schemas.clientContextSchema, 'unmute').clientContext))),
    ...action('updateRecordingStatus', (ctx, call) => opReply(ctx, call, actions.updateRecordingStatus(engine, call, body(ctx, schemas.updateRecordingStatusSchema, 'updateRecordingStatus')))),
    ...action('changeScreenSharingRole', (ctx, call) => {
      actions.changeScreenSharingRole(engine, call, body(ctx, schemas.changeScreenSharingRoleSchema, 'changeScreenSharingRole'));
      return { status: 202 };
    }),
    ...action('keepAlive', (_ctx, call) => {
      actions.keepAlive(engine, call);
      return { status: 200 };
    }),
    // The call's operations relationship (commsOperation; Get-MgCommunicationCallOperation) — checked at create. Chosen:
    // an operation stays readable, with its final status, while its call lives (so an app whose completion
    // notification was lost can re-read it); an unknown id is 404.
    {
      method: 'GET',
      path: `${CALL}/operations/:operationId`,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        const op = call.operations.get(ctx.params.operationId!);
        if (!op) throw new GraphError(404, 'itemNotFound', `Operation '${ctx.params.operationId}' was not found on call '${call.id}'.`);
        return { status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#communications/calls('${call.id}')/operations/$entity`, ...operationJson(op) } };
      },
    },
    // call-list-participants, participant-get — checked at create.
    {
      method: 'GET',
      path: `${CALL}/participants`,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        return { status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#communications/calls('${call.id}')/participants`, value: listParticipants(call) } };
      },
    },
    {
      method: 'GET',
      path: `${CALL}/participants/:participantId`,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        return { status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#communications/calls('${call.id}')/participants/$entity`, ...getParticipant(call, ctx.params.participantId!) } };
      },
    },
    // participant-invite — Calls.InitiateGroupCall.All.
    ...[`${CALL}/participants/invite`, `${CALL}/participants/microsoft.graph.invite`].map((path): GraphRoute => ({
      method: 'POST',
      path,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        requireRole(ctx.principal, ROLE.initiateGroup);
        const result = invite(engine, call, body(ctx, schemas.inviteSchema, 'invite'));
        return { status: 200, json: result.json, headers: { location: `${callUrl(ctx, call.id)}/operations/${result.op.id}` } };
      },
    })),
    // participant-mute — checked at join.
    ...[`${CALL}/participants/:participantId/mute`, `${CALL}/participants/:participantId/microsoft.graph.mute`].map((path): GraphRoute => ({
      method: 'POST',
      path,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        const json = muteParticipant(engine, call, ctx.params.participantId!, body(ctx, schemas.clientContextSchema, 'mute').clientContext);
        return { status: 200, json, headers: { location: `${callUrl(ctx, call.id)}/operations/${String(json.id)}` } };
      },
    })),
    // participant-startholdmusic, participant-stopholdmusic — the page's table: Calls.JoinGroupCallAsGuest.All (least),
    // Calls.JoinGroupCall.All; an earlier revision says "None, checked when the call is joined or started": any calling role.
    ...[`${CALL}/participants/:participantId/startHoldMusic`, `${CALL}/participants/:participantId/microsoft.graph.startHoldMusic`].map((path): GraphRoute => ({
      method: 'POST',
      path,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        const op = startHoldMusic(engine, call, ctx.params.participantId!, body(ctx, schemas.startHoldMusicSchema, 'startHoldMusic'));
        return { status: 202, json: operationJson(op), headers: { location: `${callUrl(ctx, call.id)}/operations/${op.id}` } };
      },
    })),
    ...[`${CALL}/participants/:participantId/stopHoldMusic`, `${CALL}/participants/:participantId/microsoft.graph.stopHoldMusic`].map((path): GraphRoute => ({
      method: 'POST',
      path,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        const op = stopHoldMusic(engine, call, ctx.params.participantId!, body(ctx, schemas.clientContextSchema, 'stopHoldMusic').clientContext);
        return { status: 202, json: operationJson(op), headers: { location: `${callUrl(ctx, call.id)}/operations/${op.id}` } };
      },
    })),
    // call-list-contentsharingsessions, contentsharingsession-get — Calls.JoinGroupCallAsGuest.All (least),
    // Calls.Initiate.All, Calls.InitiateGroupCall.All, Calls.JoinGroupCall.All: any calling role but AccessMedia alone.
    {
      method: 'GET',
      path: `${CALL}/contentSharingSessions`,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        requireRole(ctx.principal, SHARING_ROLES);
        const session = engine.contentSharing.current(call.conversation);
        return { status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#communications/calls('${call.id}')/contentSharingSessions`, value: session ? [contentSharingSessionJson(session)] : [] } };
      },
    },
    {
      method: 'GET',
      path: `${CALL}/contentSharingSessions/:sessionId`,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        requireRole(ctx.principal, SHARING_ROLES);
        const session = engine.contentSharing.current(call.conversation);
        if (!session || session.id.toLowerCase() !== ctx.params.sessionId!.toLowerCase()) {
          throw new GraphError(404, 'itemNotFound', `Content sharing session '${ctx.params.sessionId}' was not found in call '${call.id}'.`);
        }
        return { status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#communications/calls('${call.id}')/contentSharingSessions/$entity`, ...contentSharingSessionJson(session) } };
      },
    },
    // participant-delete — Calls.JoinGroupCall.All or Calls.JoinGroupCallAsGuest.All.
    {
      method: 'DELETE',
      path: `${CALL}/participants/:participantId`,
      permissions: CALLS,
      handle: (ctx) => {
        const call = live(ctx);
        requireRole(ctx.principal, ROLE.joinGroup);
        removeParticipant(engine, call, ctx.params.participantId!);
        return { status: 204 };
      },
    },
  ];
}
