// The onlineMeeting JSON Graph returns (application-post-onlinemeetings, onlinemeeting-get, onlinemeeting-createorget,
// onlinemeeting-update), property for property as the examples print it, including the legacy autoAdmittedUsers.

import { createHash } from 'node:crypto';
import type { Json } from '../calls/call-model.js';
import { stableGuid } from '../identity/stable-id.js';
import type { OnlineMeetingRecord } from './meeting-model.js';
import type { WireMeetingParticipantInfo, WireMeetingSettings, WireOnlineMeeting } from '../../graph-models/index.js';

/** The settings a new meeting has when the request does not set them (the values Teams defaults to). */
export function defaultMeetingSettings(): Json {
  const settings = {
    allowedPresenters: 'everyone',
    allowMeetingChat: 'enabled',
    allowTeamworkReactions: true,
    allowAttendeeToEnableCamera: true,
    allowAttendeeToEnableMic: true,
    allowRecording: true,
    allowTranscription: true,
    allowBreakoutRooms: true,
    allowPowerPointSharing: true,
    allowWhiteboard: true,
    allowLiveShare: 'enabled',
    allowCopyingAndSharingMeetingContent: true,
    allowedLobbyAdmitters: 'organizerAndCoOrganizersAndPresenters',
    isEntryExitAnnounced: true,
    recordAutomatically: false,
    lobbyBypassSettings: { scope: 'organization', isDialInBypassEnabled: false },
    watermarkProtection: null,
    anonymizeIdentityForRoles: [],
    isBroadcast: false,
    broadcastSettings: null,
  } satisfies WireMeetingSettings & Pick<WireOnlineMeeting, 'isBroadcast'>;
  return settings;
}

/**
 * The meeting's VTC conference id. Graph generates one for organizers with a Cloud Video Interop licence
 * (onlinemeeting-get); every emulated organizer has one (chosen): ten digits derived from the meeting id, so it is
 * stable across restarts without being stored.
 */
export function videoTeleconferenceId(m: Pick<OnlineMeetingRecord, 'id'>): string {
  const hex = createHash('sha256').update(`vtc:${m.id}`).digest('hex');
  return (BigInt(`0x${hex.slice(0, 15)}`) % 9_000_000_000n + 1_000_000_000n).toString();
}

/** The dial-in number the emulated tenant prints (555-01xx: reserved for fiction). */
const TOLL_NUMBER = '+1 425-555-0199';

function userIdentity(id: string, tenantId: string): WireMeetingParticipantInfo['identity'] {
  return { user: { id, displayName: null, tenantId, identityProvider: 'AAD' } };
}

export function onlineMeetingJson(m: OnlineMeetingRecord, tenantId: string, context?: string): Json {
  // The settings were checked against onlinemeeting-update's value sets on the way in (updatableSettings).
  const s = m.settings as WireMeetingSettings & Pick<WireOnlineMeeting, 'isBroadcast'>;
  const json: WireOnlineMeeting = {
    ...(context ? { '@odata.context': context } : {}),
    // Printed at the top of the onlinemeeting-get and application-post-onlinemeetings examples.
    '@odata.type': '#microsoft.graph.onlineMeeting',
    id: m.id,
    creationDateTime: m.creationDateTime,
    startDateTime: m.startDateTime,
    endDateTime: m.endDateTime,
    joinWebUrl: m.joinWebUrl,
    subject: m.subject,
    isBroadcast: s.isBroadcast ?? false,
    autoAdmittedUsers: 'EveryoneInCompany',
    outerMeetingAutoAdmittedUsers: null,
    isEntryExitAnnounced: s.isEntryExitAnnounced,
    allowedPresenters: s.allowedPresenters,
    allowMeetingChat: s.allowMeetingChat,
    allowTeamworkReactions: s.allowTeamworkReactions,
    allowAttendeeToEnableCamera: s.allowAttendeeToEnableCamera,
    allowAttendeeToEnableMic: s.allowAttendeeToEnableMic,
    allowRecording: s.allowRecording,
    allowTranscription: s.allowTranscription,
    allowBreakoutRooms: s.allowBreakoutRooms,
    allowPowerPointSharing: s.allowPowerPointSharing,
    allowWhiteboard: s.allowWhiteboard,
    allowLiveShare: s.allowLiveShare,
    allowCopyingAndSharingMeetingContent: s.allowCopyingAndSharingMeetingContent,
    allowedLobbyAdmitters: s.allowedLobbyAdmitters,
    recordAutomatically: s.recordAutomatically,
    anonymizeIdentityForRoles: s.anonymizeIdentityForRoles,
    watermarkProtection: s.watermarkProtection,
    videoTeleconferenceId: videoTeleconferenceId(m),
    externalId: m.externalId ?? null,
    broadcastSettings: s.broadcastSettings ?? null,
    audioConferencing: {
      conferenceId: m.conferenceId,
      tollNumber: TOLL_NUMBER,
      tollNumbers: [TOLL_NUMBER],
      tollFreeNumber: null,
      tollFreeNumbers: [],
      dialinUrl: `https://dialin.teams.microsoft.com/${stableGuid('dial-in', tenantId)}?id=${m.conferenceId}`,
    },
    participants: {
      organizer: { upn: m.organizerUpn, role: 'presenter', identity: userIdentity(m.organizerId, tenantId) },
      attendees: m.attendees.map((a) => ({ upn: a.upn, role: a.role, identity: userIdentity(a.userId, tenantId) })),
      producers: [],
      contributors: [],
    },
    lobbyBypassSettings: s.lobbyBypassSettings,
    joinMeetingIdSettings: { isPasscodeRequired: m.isPasscodeRequired, joinMeetingId: m.joinMeetingId, passcode: m.passcode },
    chatInfo: { threadId: m.threadId, messageId: '0', replyChainMessageId: null },
    joinInformation: { content: joinInformation(m), contentType: 'html' },
  };
  return json;
}

/** joinInformation.content: a data: URL of the invitation HTML, percent-encoded as Graph sends it. */
function joinInformation(m: OnlineMeetingRecord): string {
  const html = `<div><a href="${m.joinWebUrl}">Join the meeting now</a></div>`
    + `<div>Meeting ID: ${m.joinMeetingId.replace(/(\d{3})(?=\d)/g, '$1 ')}</div>`
    + (m.passcode ? `<div>Passcode: ${m.passcode}</div>` : '')
    + `<div>Dial in by phone ${TOLL_NUMBER},,${m.conferenceId}#</div>`;
  return encodeURIComponent(`data:text/html,${html}`).replace(/%20/g, '+');
}
