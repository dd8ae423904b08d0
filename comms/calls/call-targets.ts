// Who a call is placed to, redirected or transferred to, written as plain values and turned into the Graph
// identitySet / invitationParticipantInfo / participantInfo shapes the documented examples send.
import { checkId, checkText, invalidArgument } from './action-arguments.js';
import type { CallIdentity, CallIdentitySet, CallInvitationParticipantInfo, CallParticipantInfo } from '../../graph-models/index.js';

export type CallTarget =
  | { kind: 'user'; id: string; displayName?: string; tenantId?: string }
  | { kind: 'phone'; number: string }
  | { kind: 'application'; id: string; displayName?: string }
  | { kind: 'applicationInstance'; id: string; displayName?: string; tenantId?: string };

export interface InvitationOptions {
  /** `voicemail` sends a redirect straight to the user's voicemail. */
  endpointType?: 'default' | 'voicemail';
  replacesCallId?: string;
  participantId?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const ODATA_IDENTITY = '#microsoft.graph.identity';

export function toIdentitySet(target: CallTarget): CallIdentitySet {
  if (!target || typeof target !== 'object') throw invalidArgument('a call target must be an object');
  switch (target.kind) {
    case 'phone': {
      if (typeof target.number !== 'string' || !E164.test(target.number)) throw invalidArgument('a phone target must be an E.164 number like +14255550101');
      return { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': ODATA_IDENTITY, id: target.number } };
    }
    case 'user':
    case 'application':
    case 'applicationInstance': {
      const identity: CallIdentity = { '@odata.type': ODATA_IDENTITY, id: checkId(target.id, `${target.kind} id`) };
      const displayName = checkText(target.displayName, 'displayName', 256);
      if (displayName !== undefined) identity.displayName = displayName;
      if ('tenantId' in target && target.tenantId !== undefined) identity.tenantId = checkId(target.tenantId, 'tenantId');
      const set: CallIdentitySet = { '@odata.type': '#microsoft.graph.identitySet' };
      set[target.kind] = identity;
      return set;
    }
    default:
      throw invalidArgument(`unknown call target kind ${(target as { kind?: unknown }).kind}`);
  }
}

export function toInvitation(target: CallTarget, options: InvitationOptions = {}): CallInvitationParticipantInfo {
  const info: CallInvitationParticipantInfo = { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: toIdentitySet(target) };
  if (options.endpointType !== undefined) {
    if (options.endpointType !== 'default' && options.endpointType !== 'voicemail') throw invalidArgument('endpointType must be default or voicemail');
    info.endpointType = options.endpointType;
  }
  if (options.replacesCallId !== undefined) info.replacesCallId = checkId(options.replacesCallId, 'replacesCallId');
  if (options.participantId !== undefined) info.participantId = checkId(options.participantId, 'participantId');
  return info;
}

export function toParticipantInfo(target: CallTarget, participantId?: string): CallParticipantInfo {
  const info: CallParticipantInfo = { '@odata.type': '#microsoft.graph.participantInfo', identity: toIdentitySet(target) };
  if (participantId !== undefined) info.participantId = checkId(participantId, 'participantId');
  return info;
}

/** "+1 425 555 0142", "+1-425-555-0142" → "+14255550142"; undefined when it is not an E.164 number. */
export function toE164(value: string): string | undefined {
  const compact = value.trim().replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : undefined;
}

/**
 * The object id of the application instance (the bot's resource account with a phone number) a call runs through:
 * the source of a call the bot placed, the first target of one it received (call-redirect Example 3). Graph takes
 * phone numbers in transfers and redirects only on such calls ("supported only for application instance").
 */
export function applicationInstanceOf(call: { direction?: string; source?: CallParticipantInfo; targets?: CallInvitationParticipantInfo[] }): string | undefined {
  const identity = call.direction === 'incoming' ? call.targets?.[0]?.identity : call.source?.identity;
  const instance = identity?.applicationInstance;
  return typeof instance === 'object' && instance && typeof instance.id === 'string' ? instance.id : undefined;
}

/** A phone number as a roster shows it to others: only its last four digits ("Phone ending 0142"). */
export function maskedNumber(number: string): string {
  const digits = number.replace(/\D/g, '');
  return digits.length >= 4 ? `Phone ending ${digits.slice(-4)}` : 'Phone';
}
