// Local mode only: whether the emulated people a call rings answer by hand (the emulator console switched them to
// manual), read from the emulator's control API, so the ringing card says where to answer. Best effort: an emulator
// that does not answer within a second gives no hint, never a failed call.
import type { HttpTransport } from '../comms/graph/index.js';

export interface RingPerson {
  id: string;
  displayName: string;
}

/** The note for a ringing card, or undefined when everyone rung answers by themselves. */
export type RingHint = (people: RingPerson[]) => Promise<string | undefined>;

const TIMEOUT_MS = 1_000;

interface EmulatorPerson {
  id: string;
  userPrincipalName?: string;
  behavior?: { onCall?: string };
}

export function emulatorRingHint(transport: HttpTransport, emulatorUrl: string): RingHint {
  return async (people) => {
    let listed: EmulatorPerson[];
    try {
      const res = await transport.send({ method: 'GET', url: `${emulatorUrl}/emulator/people`, timeoutMs: TIMEOUT_MS });
      if (res.status !== 200) return undefined;
      listed = (JSON.parse(res.body.toString('utf8')) as { value?: EmulatorPerson[] }).value ?? [];
    } catch {
      return undefined;
    }
    const byHand = people.flatMap((p) => {
      const known = listed.find((l) => l.id.toLowerCase() === p.id.toLowerCase());
      return known?.behavior?.onCall === 'manual' ? [{ ...p, upn: known.userPrincipalName }] : [];
    });
    if (byHand.length === 0) return undefined;
    const names = byHand.map((p) => p.displayName).join(', ');
    const console = `${emulatorUrl}/emulator/console${byHand.length === 1 && byHand[0]!.upn ? `?person=${encodeURIComponent(byHand[0]!.upn)}` : ''}`;
    return `${names} ${byHand.length === 1 ? 'answers' : 'answer'} by hand in this local setup: answer in the emulator console, ${console}`;
  };
}
