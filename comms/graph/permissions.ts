// The Graph application permissions (app roles) Switchboard's features use, with what each is for.
// The emulator grants these to the local app; the doctor checks a real token's roles against them.

export const APP_PERMISSIONS = [
  { role: 'Calls.Initiate.All', for: 'peer-to-peer calls, redirect, transfer, reminder calls' },
  { role: 'Calls.InitiateGroupCall.All', for: 'group calls and inviting participants' },
  { role: 'Calls.JoinGroupCall.All', for: 'joining meetings and answering calls' },
  { role: 'Calls.JoinGroupCallAsGuest.All', for: 'joining meetings as a guest' },
  { role: 'Calls.AccessMedia.All', for: 'tones, recordResponse and prompts on service-hosted media' },
  { role: 'OnlineMeetings.ReadWrite.All', for: 'creating and looking up online meetings (needs an access policy), and following their call events (beta meetingCallEvents)' },
  { role: 'Presence.Read.All', for: 'showing people\'s presence' },
  { role: 'CallRecords.Read.All', for: 'call history and call quality' },
  { role: 'User.Read.All', for: 'resolving people by name or UPN' },
] as const;

export const REQUIRED_APP_ROLES: string[] = APP_PERMISSIONS.map((p) => p.role);
