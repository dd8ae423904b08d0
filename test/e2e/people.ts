// Emulated people for end-to-end tests: their directory ids, and the control-API actions they take.
import type { LocalSwitchboard } from '../support/local-switchboard.js';

export type PersonName = 'amara' | 'jonas' | 'priya' | 'mateo' | 'hana' | 'elif' | 'tomasz' | 'grace';

export const UPN: Record<PersonName, string> = {
  amara: 'amara.okafor@switchboard.test',
  jonas: 'jonas.lindqvist@switchboard.test',
  priya: 'priya.raman@switchboard.test',
  mateo: 'mateo.alvarez@switchboard.test',
  hana: 'hana.sato@switchboard.test',
  elif: 'elif.demir@switchboard.test',
  tomasz: 'tomasz.nowak@switchboard.test',
  grace: 'grace.whitfield@switchboard.test',
};

export async function directoryIds(app: LocalSwitchboard): Promise<Record<PersonName, string>> {
  const users = (await app.emulatorJson('GET', '/emulator/users')).body.value as Array<{ id: string; userPrincipalName: string }>;
  const out = {} as Record<PersonName, string>;
  for (const [name, upn] of Object.entries(UPN)) out[name as PersonName] = users.find((u) => u.userPrincipalName === upn)!.id;
  return out;
}

export async function dial(app: LocalSwitchboard, who: PersonName): Promise<string> {
  const res = await app.emulatorJson('POST', `/emulator/people/${UPN[who]}/dial`, {});
  if (res.status !== 201) throw new Error(`dial failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.callId as string;
}

export async function behave(app: LocalSwitchboard, who: PersonName, onCall: 'manual' | 'answer' | 'decline' | 'busy' | 'ignore', answerDelayMs = 50): Promise<void> {
  const res = await app.emulatorJson('PUT', `/emulator/people/${UPN[who]}/behavior`, { onCall, answerDelayMs });
  if (res.status >= 300) throw new Error(`behavior failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function act(app: LocalSwitchboard, callId: string, action: string, body: Record<string, unknown> = {}): Promise<any> {
  const res = await app.emulatorJson('POST', `/emulator/calls/${callId}/${action}`, body);
  if (res.status >= 300) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The emulator's view of a call: the truth the app is compared against. */
export async function truth(app: LocalSwitchboard, callId: string): Promise<any> {
  const res = await app.emulatorJson('GET', `/emulator/calls/${callId}`);
  if (res.status !== 200) throw new Error(`no emulated call ${callId}: ${res.status}`);
  return res.body;
}
