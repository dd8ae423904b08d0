// Calls to and from the phone network through an application instance (a resource account with a phone number):
// application-post-calls Example 9 (source.identity.applicationInstance + tenantId, targets[].identity.phone.id),
// an incoming call from a phone to the instance's number (beta call-redirect Example 3: targets[0] is the
// applicationInstance), and transfer / redirect / invite to a phone number, which Graph supports "only for
// application instance" (call-transfer).

import { EmulatorError } from '../emulator-error.js';
import { E164 } from '../directory/phone-network.js';
import type { EmulatedApplicationInstance } from '../emulator-options.js';
import { GraphError } from '../graph/graph-error.js';
import type { RegisteredApp } from '../identity/app-registry.js';
import type { EmulatedCall, Json } from './call-model.js';
import type { CallsEngine } from './calls-engine.js';
import { instanceIdentitySet, invitationParticipantInfo } from './graph-shapes.js';

interface IdentitySetLike {
  applicationInstance?: { id?: string | null | undefined; displayName?: string | null | undefined } | null | undefined;
  phone?: { id?: string | null | undefined } | null | undefined;
}

/**
 * The application instance a create names as its source, checked as Graph checks it: it must exist in the tenant
 * and be linked to the app id in the access token (application-post-calls Example 9's note). Undefined when the
 * source is not an application instance.
 */
export function sourceInstance(engine: CallsEngine, app: RegisteredApp, source: { identity?: IdentitySetLike | null } | null | undefined): EmulatedApplicationInstance | undefined {
  const named = source?.identity?.applicationInstance;
  if (!named) return undefined;
  if (!named.id) throw new GraphError(400, 'BadRequest', 'source.identity.applicationInstance.id is required: the object id of the application instance (resource account).');
  const instance = engine.deps.directory.applicationInstances().find((i) => i.id.toLowerCase() === named.id!.toLowerCase());
  if (!instance) throw new GraphError(400, 'BadRequest', `Application instance '${named.id}' was not found in the tenant: use the object id of a resource account (New-CsOnlineApplicationInstance).`);
  if (instance.applicationId.toLowerCase() !== app.clientId.toLowerCase()) {
    throw new GraphError(403, 'Forbidden', `Application instance '${instance.id}' is linked to another application: the application id it links to must match the one in the access token (${app.clientId}).`);
  }
  return instance;
}

/** The checks a create with a phone target gets: one target (peer-to-peer), an application instance as source, a tenantId, E.164. */
export function checkPstnCreate(targets: Array<{ identity: IdentitySetLike }>, instance: EmulatedApplicationInstance | undefined, tenantId: string | null | undefined): void {
  const phones = targets.filter((t) => t.identity.phone);
  if (phones.length === 0) return;
  if (targets.length > 1) throw new GraphError(400, 'BadRequest', 'A call to a phone number is peer-to-peer: give exactly one target (a bot-created group call takes up to 5 VoIP users).');
  if (!instance) {
    throw new GraphError(400, 'BadRequest', 'A call to a phone number needs source.identity.applicationInstance: the bot places PSTN calls as an application instance with a phone number (application-post-calls Example 9).');
  }
  if (!tenantId) throw new GraphError(400, 'BadRequest', 'tenantId is required for a call from an application instance to a phone number.');
  for (const [i, t] of phones.entries()) requireE164(t.identity.phone?.id, `targets[${i}].identity.phone.id`);
}

/** The application instance a call runs through: the source of one the bot placed, the target of one it received. */
export function callInstance(engine: CallsEngine, call: EmulatedCall): EmulatedApplicationInstance | undefined {
  const fromSource = ((call.source.identity as IdentitySetLike | undefined)?.applicationInstance?.id) ?? undefined;
  const fromTarget = call.direction === 'incoming' ? ((call.targets[0]?.identity as IdentitySetLike | undefined)?.applicationInstance?.id ?? undefined) : undefined;
  const id = call.direction === 'incoming' ? fromTarget : fromSource;
  return id ? engine.deps.directory.applicationInstances().find((i) => i.id.toLowerCase() === id.toLowerCase()) : undefined;
}

/** Transfer / redirect / invite to a phone number: only from a call through an application instance. */
export function requireInstanceForPhone(engine: CallsEngine, call: EmulatedCall, identities: Array<IdentitySetLike | null | undefined>, what: string): void {
  const phones = identities.filter((i) => i?.phone);
  if (phones.length === 0) return;
  for (const p of phones) requireE164(p!.phone!.id, `${what} phone.id`);
  if (!callInstance(engine, call)) {
    throw new GraphError(400, 'BadRequest', `${what} to a phone number is supported only for an application instance: place or receive the call as the bot's resource account (call-transfer).`);
  }
}

function requireE164(id: string | null | undefined, where: string): void {
  if (!id || !E164.test(id)) throw new GraphError(400, 'BadRequest', `${where} must be a phone number in E.164 format, like +14255550142.`);
}

/** The incoming call's target when a phone dials an application instance's number. */
export function instanceTarget(instance: EmulatedApplicationInstance, tenantId: string, myParticipantId: string): Json {
  return invitationParticipantInfo(instanceIdentitySet(instance, tenantId), { endpointType: 'default', id: myParticipantId, region: 'amer', languageId: null });
}

/** The instance a phone dials (by object id, UPN or number; default: the first one whose app has a calling webhook). */
export function instanceToDial(engine: CallsEngine, to: string | undefined): EmulatedApplicationInstance {
  const instances = engine.deps.directory.applicationInstances();
  const instance = to ? engine.deps.directory.findInstance(to) : instances.find((i) => engine.app(i.applicationId)?.callingWebhookUrl) ?? instances[0];
  if (!instance) {
    throw to
      ? new EmulatorError('emulator/unknown-application-instance', `There is no application instance '${to}': GET /emulator/application-instances lists them.`, 404)
      : new EmulatorError('emulator/no-application-instance', 'The emulated tenant has no application instance (resource account) with a phone number.', 409);
  }
  return instance;
}
