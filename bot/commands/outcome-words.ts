// Plain words for how ringing someone into a call or meeting went, from Graph's resultInfo codes (the same table as
// the call-end descriptions): "Grace Whitfield didn't answer", never "inviteParticipantsOperation failed (480/10076)".
import type { ResultInfo } from '../../comms/calls/index.js';

const BY_SUBCODE: Record<number, string> = {
  10076: "didn't answer",
  10037: "couldn't be reached",
  4097: 'hung up',
  4521: 'hung up',
  18503: 'hung up',
};

const BY_CODE: Record<number, string> = {
  408: "didn't answer in time",
  480: "didn't answer",
  486: 'is busy',
  487: 'was no longer being rung',
  603: 'declined',
  404: 'could not be found',
  403: 'could not be rung (not allowed)',
};

/** "Grace Whitfield didn't answer." — the person and what happened, in words. */
export function ringOutcome(name: string, info: ResultInfo | undefined): string {
  if (!info) return `${name} could not be rung.`;
  const code = Number(info.code);
  const subcode = Number(info.subcode);
  if (code >= 200 && code < 300) return `${name} joined.`;
  const what = BY_SUBCODE[subcode] ?? BY_CODE[code];
  return what ? `${name} ${what}.` : `${name} could not be rung (code ${code}${Number.isFinite(subcode) && subcode ? `/${subcode}` : ''}).`;
}
