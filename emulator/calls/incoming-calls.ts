// Calls to the bot: an emulated person dials the app (created/incoming to its calling webhook), and the app answers
// (call-answer), rejects (call-reject) or redirects (call-redirect) it within the answer window — or the service
// ends it when the window elapses.

import type { z } from 'zod';
import { EmulatorError } from '../emulator-error.js';
import type { EmulatedUser } from '../emulator-options.js';
import { GraphError } from '../graph/graph-error.js';
import type { EmulatedCall, Json } from './call-model.js';
import { requireCallbackUri, requireState } from './call-checks.js';
import type { CallsEngine } from './calls-engine.js';
import { appIdentitySet, invitationParticipantInfo, participantInfo, personIdentitySet } from './graph-shapes.js';
import { instanceTarget, requireInstanceForPhone } from './pstn.js';
import type { EmulatedApplicationInstance } from '../emulator-options.js';
import type { answerSchema, redirectSchema, rejectSchema } from './graph-request-schemas.js';
import { RESULTS } from './result-codes.js';

/**
 * A person (or a phone on the phone network) calls the app — or, with `instance`, that application instance's phone
 * number, which reaches the app it is linked to with the instance as the call's target.
 */
export function dial(engine: CallsEngine, user: EmulatedUser, options: { appId?: string | undefined; subject?: string | undefined; instance?: EmulatedApplicationInstance }): EmulatedCall {
  const appId = options.instance?.applicationId ?? options.appId;
  const app = appId ? engine.app(appId) : engine.deps.apps.list().find((a) => a.callingWebhookUrl);
  if (!app) {
    throw appId
      ? new EmulatorError('emulator/unknown-app', `There is no app '${appId}': GET /emulator/apps lists them.`, 404)
      : new EmulatorError('emulator/no-calling-webhook', 'No app has a calling webhook yet: PUT /emulator/apps/{clientId}/calling-webhook { url } first.', 409);
  }
  if (!app.callingWebhookUrl) {
    throw new EmulatorError('emulator/no-calling-webhook', `App ${app.clientId} has no calling webhook: PUT /emulator/apps/${app.clientId}/calling-webhook { url } first.`, 409);
  }
  const conversation = engine.newConversation('peerToPeer');
  const call = engine.newCall({
    app,
    kind: 'peerToPeer',
    direction: 'incoming',
    state: 'incoming',
    callbackUri: app.callingWebhookUrl,
    source: participantInfo(personIdentitySet(user, engine.deps.tenantId), { region: 'amer', languageId: user.preferredLanguage ?? 'en-US' }),
    targets: [invitationParticipantInfo(appIdentitySet(app.clientId, app.displayName))],
    conversation,
    ...(options.subject ? { subject: options.subject } : {}),
    peerPersonId: user.id,
  });
  if (options.instance) call.targets = [instanceTarget(options.instance, engine.deps.tenantId, call.myParticipantId)];
  engine.addPerson(conversation, user);
  engine.events.emit('person.dialled', { callId: call.id, person: user.id, appId: app.clientId, ...(options.instance ? { applicationInstance: options.instance.id } : {}) });
  engine.notifyIncoming(call);
  engine.setAnswerWindow(call, engine.scheduler.after(engine.options.answerWindowMs, () => {
    if (call.state === 'incoming') engine.endCall(call, { reason: 'answer window elapsed', result: RESULTS.answerWindowElapsed });
  }));
  return call;
}

export function answer(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof answerSchema>): void {
  requireState(call, 'incoming', 'answer the call');
  requireCallbackUri(body.callbackUri);
  engine.clearAnswerWindow(call);
  if (body.callbackUri) call.callbackUri = body.callbackUri;
  call.mediaConfig = body.mediaConfig as Json;
  call.mediaHosting = /appHostedMediaConfig$/i.test(String(body.mediaConfig['@odata.type'])) ? 'app' : 'service';
  call.requestedModalities = body.acceptedModalities;
  // incomingCallOptions: isContentSharingNotificationEnabled, isDeltaRosterEnabled… (call-answer).
  if (body.callOptions) call.callOptions = body.callOptions as Json;
  engine.addBot(call);
  engine.events.emit('call.answered', { callId: call.id });
  engine.establish(call);
}

export function reject(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof rejectSchema>): void {
  requireState(call, 'incoming', 'reject the call (use DELETE to end an answered call)');
  requireCallbackUri(body.callbackUri);
  call.rejectReason = (body.reason ?? 'none').toLowerCase();
  engine.endCall(call, { reason: `rejected by the bot (${call.rejectReason})`, shape: 'minimal', ...(body.callbackUri ? { url: body.callbackUri } : {}) });
}

export function redirect(engine: CallsEngine, call: EmulatedCall, body: z.infer<typeof redirectSchema>): void {
  requireState(call, 'incoming', 'redirect the call');
  requireCallbackUri(body.callbackUri);
  const timeoutSeconds = body.timeout ?? (body.targets.length === 1 ? 55 : 60);
  const caller = call.peerPersonId ? engine.person(call.peerPersonId) : undefined;
  const names = body.targets.map((t) => t.identity.user?.id ?? t.identity.application?.id ?? t.identity.phone?.id ?? '?');
  for (const [i, t] of body.targets.entries()) {
    if (!(t.identity.user?.id || t.identity.application?.id || t.identity.applicationInstance?.id || t.identity.phone?.id)) {
      throw new GraphError(400, 'BadRequest', `targets[${i}].identity needs a user, application or phone identity with an id.`);
    }
  }
  requireInstanceForPhone(engine, call, body.targets.map((t) => t.identity), 'Redirect');
  call.redirect = { targets: names, outcome: 'ringing' };
  engine.endCall(call, { reason: 'redirected by the bot', shape: 'redirect', ...(body.callbackUri ? { url: body.callbackUri } : {}) });

  let pending = 0;
  let settled = false;
  const record = call.redirect;
  const finish = (outcome: string, answeredBy?: string) => {
    if (settled) return;
    settled = true;
    record.outcome = outcome;
    if (answeredBy) record.answeredBy = answeredBy;
    for (const ring of engine.ringing.forCall(call.id)) if (ring.reason === 'redirect') ring.settle('cancelled');
    engine.events.emit('call.redirect-ended', { callId: call.id, outcome, answeredBy });
  };
  const voicemail = body.targets.find((t) => t.endpointType?.toLowerCase() === 'voicemail' && t.identity.user?.id);
  if (voicemail) {
    // endpointType voicemail (invitationParticipantInfo): straight to the user's voicemail, nobody rings.
    const owner = engine.person(voicemail.identity.user!.id!);
    finish(owner ? 'voicemail' : 'unanswered', owner?.id);
    return;
  }
  for (const target of body.targets) {
    const appTarget = target.identity.application?.id ? engine.app(target.identity.application.id) : undefined;
    if (appTarget?.callingWebhookUrl && caller) {
      const forwarded = dial(engine, caller, { appId: appTarget.clientId, ...(call.subject ? { subject: call.subject } : {}) });
      finish('forwarded-to-app', forwarded.id);
      return;
    }
    pending += 1;
    engine.ring(target.identity.user?.id ?? target.identity.phone?.id ?? undefined, call.id, 'redirect', (outcome, user) => {
      pending -= 1;
      if (outcome === 'answered' && user) return finish('answered', user.id);
      if (pending === 0) finish(outcome === 'cancelled' ? 'cancelled' : 'unanswered');
    }, Math.min(timeoutSeconds * 1000, engine.options.ringTimeoutMs));
  }
}
