// Plain words for why a call ended, from Graph's resultInfo (code/subcode table in the Graph call-delete docs).
import type { ResultInfo } from '../../comms/calls/index.js';

const BY_SUBCODE: Record<number, string> = {
  4097: 'They hung up.',
  4521: 'They hung up.',
  5000: 'Removed by another participant.',
  5001: 'The call ended.',
  5002: 'Everyone else left.',
  5003: 'The call ended.',
  5010: 'Only one participant remained.',
  5013: 'Nobody else joined.',
  7000: 'Ended by Switchboard.',
  7015: 'Transferred.',
  8537: 'Ended: nothing kept the call alive.',
  10037: 'They could not be reached.',
  10076: 'No answer.',
  18503: 'They hung up.',
};

const BY_CODE: Record<number, string> = {
  404: 'The call had already ended.',
  408: 'Nobody answered in time.',
  480: 'They were not available.',
  486: 'They were busy.',
  487: 'The caller hung up before the answer.',
  603: 'They declined the call.',
};

export function describeEnd(info: ResultInfo | undefined): string {
  if (!info) return 'The call ended.';
  const code = Number(info.code);
  const subcode = Number(info.subcode);
  return BY_SUBCODE[subcode] ?? BY_CODE[code] ?? (code >= 200 && code < 300 ? 'The call ended.' : `The call ended (${code}/${subcode}).`);
}
