// Every resultInfo the emulated calling service sends, in one table: `documented` rows are Microsoft's own (page
// named in `source`), `chosen` rows fill gaps the docs leave (closest documented code, or the SIP code Teams' codes follow).

export interface ResultCode {
  code: number;
  subcode: number;
  message: string;
  basis: 'documented' | 'chosen';
  source: string;
}

const row = (code: number, subcode: number, message: string, basis: ResultCode['basis'], source: string): ResultCode => ({ code, subcode, message, basis, source });

export const RESULTS = {
  // Call ends.
  hungUpByBot: row(200, 5001, 'The conversation has ended.', 'documented', 'call-delete (notification example)'),
  endedByPeerP2P: row(200, 4521, 'Call ended by the other participant in peer-to-peer call.', 'documented', 'call-delete (end reason codes)'),
  keepAliveTimeout: row(408, 8537, 'Keep Alive timeout, cleaned up inactive call.', 'documented', 'call-delete (end reason codes)'),
  noCalleeEndpoints: row(480, 10037, 'No callee endpoints were found.', 'documented', 'call-delete (end reason codes): target unknown or not a Teams user'),
  calleeUnreachable: row(480, 10076, 'Callee could not be reached.', 'chosen', 'call-delete code used for an outbound call nobody answered (no documented "no answer" code)'),
  noOneJoinedGroup: row(200, 5013, 'The conversation has ended as no one else has joined the group call.', 'chosen', 'call-delete code used when every target of a bot-created group call declined or rang out'),
  answerWindowElapsed: row(408, 1106, 'An acknowledgement was not received for the call acceptance in the allotted time.', 'chosen', 'call-delete code used for an incoming call not answered/rejected/redirected within the answer window'),
  declinedByCallee: row(603, 0, 'Call declined by the callee.', 'chosen', 'SIP 603 Decline; Graph documents no decline code'),
  calleeBusy: row(486, 0, 'Callee is busy.', 'chosen', 'SIP 486 Busy Here; Graph documents no busy code'),
  callerCancelled: row(487, 0, 'The caller hung up before the call was answered.', 'chosen', 'SIP 487 Request Terminated; Graph documents no code'),
  replacedByGroupCall: row(200, 5001, 'The conversation has ended.', 'chosen', 'call-delete 5001, used for a P2P call moved into a group call by invite replacesCallId'),
  transferCompleted: row(0, 7015, 'GracefulTransferCompleted', 'documented', 'call-transfer (transfer completed notification)'),
  transferFailed: row(500, 7000, 'The transfer target did not accept the call.', 'documented', 'call-transfer (transfer failed: code 500, subCode 7000; message is a placeholder in the docs)'),
  // Operations.
  actionCompleted: row(200, 0, 'Action completed successfully.', 'documented', 'call-playprompt (operation completed)'),
  maxRecordDuration: row(200, 8515, 'Action completed, max record duration reached.', 'documented', 'call-record (operation completed)'),
  recordSilenceAfterSpeech: row(200, 0, 'Action completed successfully.', 'chosen', 'no documented subcode; completionReason maxSilenceTimeout tells it apart'),
  recordStopTone: row(200, 0, 'Action completed successfully.', 'chosen', 'no documented subcode; completionReason stopToneDetected tells it apart'),
  recordInitialSilence: row(408, 0, 'Action failed, initial silence timeout reached.', 'chosen', 'no documented code; completionReason initialSilenceTimeout'),
  operationCancelled: row(400, 8508, 'Action failed, the operation was cancelled.', 'documented', 'call-cancelmediaprocessing (notification)'),
  promptUnreachable: row(400, 0, 'Action failed, the prompt media could not be downloaded.', 'chosen', 'no documented code for a prompt URI that cannot be fetched'),
  promptBadFormat: row(415, 0, 'Action failed, the prompt media is not a 16 kHz mono 16-bit PCM WAV.', 'chosen', 'no documented code for unsupported prompt audio'),
  inviteDeclined: row(603, 0, 'addParticipants failed: the participant declined.', 'chosen', 'SIP 603; invite failure codes are undocumented (a real capture shows 412/9999 with a DiagCode)'),
  inviteBusy: row(486, 0, 'addParticipants failed: the participant is busy.', 'chosen', 'SIP 486'),
  inviteUnanswered: row(480, 10076, 'addParticipants failed: callee could not be reached.', 'chosen', 'call-delete 480/10076'),
  inviteNoEndpoints: row(480, 10037, 'addParticipants failed: no callee endpoints were found.', 'chosen', 'call-delete 480/10037'),
  inviteCancelled: row(487, 0, 'addParticipants failed: the invitation was cancelled.', 'chosen', 'SIP 487; an invited participant removed with DELETE participants/{id}'),
  meetingNotFound: row(400, 2203, 'Bad Request. DiagCode: 400#2203.@', 'chosen', 'joinMeetingIdMeetingInfo with a joinMeetingId no onlineMeeting has: the join fails after 201 as a captured failed join does (microsoft-graph-comms-samples#433)'),
  meetingPasscodeInvalid: row(403, 0, 'The passcode is not valid for this meeting.', 'chosen', 'joinMeetingIdMeetingInfo with a wrong passcode for a meeting that requires one; no documented code'),
  inviteReplaceFailed: row(500, 0, 'addParticipants failed: the call to replace is not an established peer-to-peer call with this participant.', 'chosen', 'a real capture shows a 500 resultInfo for a failed replacesCallId invite'),
} satisfies Record<string, ResultCode>;

export type ResultName = keyof typeof RESULTS;

/** Consultative transfer failure (call-transfer example 2: code 500, subCode 7700, with replacesContext). */
export const CONSULTATIVE_TRANSFER_FAILED: ResultCode = row(500, 7700, 'The consultative transfer could not be completed.', 'documented', 'call-transfer (consultative transfer failed)');
