// The onlineMeeting request bodies, checked as Graph checks them: the documented properties only, typed enums for the
// settings, meetingParticipantInfo for attendees; createOrGet needs externalId; PATCH takes only the updatable ones.

import { z } from 'zod';

const role = z.enum(['attendee', 'presenter', 'producer', 'coorganizer']);
const identity = z.looseObject({ id: z.string().min(1).optional().nullable(), displayName: z.string().optional().nullable(), tenantId: z.string().optional().nullable() });
const meetingParticipantInfo = z.looseObject({
  identity: z.looseObject({ user: identity.optional().nullable() }).optional().nullable(),
  upn: z.string().optional().nullable(),
  role: role.optional().nullable(),
});
const participants = z.looseObject({ organizer: meetingParticipantInfo.optional().nullable(), attendees: z.array(meetingParticipantInfo).optional().nullable() });
const dateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO 8601 date and time' });

/** The settings PATCH may change (onlinemeeting-update), with their documented value sets. */
export const updatableSettings = {
  allowAttendeeToEnableCamera: z.boolean(),
  allowAttendeeToEnableMic: z.boolean(),
  allowBreakoutRooms: z.boolean(),
  allowCopyingAndSharingMeetingContent: z.boolean(),
  allowedLobbyAdmitters: z.enum(['organizerAndCoOrganizersAndPresenters', 'organizerAndCoOrganizers', 'unknownFutureValue']),
  allowedPresenters: z.enum(['everyone', 'organization', 'roleIsPresenter', 'organizer', 'unknownFutureValue']),
  allowLiveShare: z.enum(['enabled', 'disabled', 'unknownFutureValue']),
  allowMeetingChat: z.enum(['enabled', 'disabled', 'limited', 'unknownFutureValue']),
  allowPowerPointSharing: z.boolean(),
  allowRecording: z.boolean(),
  allowTeamworkReactions: z.boolean(),
  allowTranscription: z.boolean(),
  allowWhiteboard: z.boolean(),
  anonymizeIdentityForRoles: z.array(role),
  isEntryExitAnnounced: z.boolean(),
  lobbyBypassSettings: z.looseObject({
    scope: z.enum(['organizer', 'organization', 'organizationAndFederated', 'everyone', 'unknownFutureValue', 'invited', 'organizationExcludingGuests']).optional().nullable(),
    isDialInBypassEnabled: z.boolean().optional().nullable(),
  }),
  recordAutomatically: z.boolean(),
  watermarkProtection: z.looseObject({}).nullable(),
  broadcastSettings: z.looseObject({}).nullable(),
} as const;

const optionalSettings = Object.fromEntries(Object.entries(updatableSettings).map(([k, v]) => [k, v.optional()])) as {
  [K in keyof typeof updatableSettings]: z.ZodOptional<(typeof updatableSettings)[K]>;
};

export const createMeetingSchema = z.object({
  startDateTime: dateTime.optional().nullable(),
  endDateTime: dateTime.optional().nullable(),
  subject: z.string().max(1000).optional().nullable(),
  participants: participants.optional().nullable(),
  joinMeetingIdSettings: z.looseObject({ isPasscodeRequired: z.boolean().optional().nullable() }).optional().nullable(),
  externalId: z.string().min(1).max(256).optional().nullable(),
  isBroadcast: z.boolean().optional().nullable(),
  ...optionalSettings,
});

/** Read-only or computed properties a client may echo back in a create body; Graph ignores them. */
export const IGNORED_ON_CREATE = ['id', 'creationDateTime', 'joinWebUrl', 'joinUrl', 'chatInfo', 'audioConferencing', 'joinInformation', 'videoTeleconferenceId', 'autoAdmittedUsers', 'meetingCode'];

export const createOrGetSchema = z.object({
  externalId: z.string({ error: 'externalId is required' }).min(1, 'externalId is required').max(256),
  startDateTime: dateTime.optional().nullable(),
  endDateTime: dateTime.optional().nullable(),
  subject: z.string().max(1000).optional().nullable(),
  participants: participants.optional().nullable(),
  chatInfo: z.looseObject({}).optional().nullable(),
});

export const updateMeetingSchema = z.object({
  startDateTime: dateTime.optional(),
  endDateTime: dateTime.optional(),
  subject: z.string().max(1000).nullable().optional(),
  participants: participants.optional(),
  ...optionalSettings,
});

export type MeetingParticipantInfo = z.infer<typeof meetingParticipantInfo>;
