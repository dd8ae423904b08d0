// Shared by the fault-matrix specs: one Switchboard with short deadlines, the front desk its scenarios walk, and the
// emulator-side truth they assert on (the request log, the emulated calls, the app's bus events).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, truth, UPN } from './people.js';

/** Graph request timeout of the matrix app; "slow past the timeout" faults delay longer than this. */
export const GRAPH_TIMEOUT_MS = 1500;

export const DESK = {
  timezone: 'UTC',
  people: { agent: UPN.priya },
  rules: [],
  default: { action: 'answer', menu: 'main' },
  menus: {
    main: {
      prompt: { text: 'Main menu. Press 1 for an agent, 2 to leave a message, 3 for more.' },
      options: {
        '1': { action: 'transfer', to: 'agent' },
        '2': { action: 'record', prompt: { text: 'Speak after the tone.' }, maxSeconds: 2, then: { action: 'hangup', prompt: { text: 'Thank you. Goodbye.' } } },
        '3': { action: 'menu', menu: 'more' },
      },
      timeoutSeconds: 30,
      maxRetries: 0,
      fallback: { action: 'hangup' },
    },
    more: { prompt: { text: 'More options. Press star to go back.' }, options: { '*': { action: 'back' } }, timeoutSeconds: 30 },
  },
};

export async function startMatrixApp(): Promise<LocalSwitchboard> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-matrix-'));
  const desk = join(dir, 'desk.json');
  writeFileSync(desk, JSON.stringify(DESK));
  return startLocalSwitchboard({
    env: { FRONT_DESK_FILE: desk, GRAPH_TIMEOUT_MS: String(GRAPH_TIMEOUT_MS), LOG_LEVEL: 'info' },
    emulatorOptions: { ringTimeoutMs: 4000 },
    keepAliveIntervalMs: 1000,
    callDeadlines: { stateCheckMs: 300, giveUpMs: 2500, retryBaseMs: 50 },
    ivrDeadlines: { promptMs: 1200, recordGraceMs: 500 },
    reminders: { tickMs: 100, retryDelayMs: 300, adoptWindowMs: 1500, answerWaitMs: 1000, promptTimeoutMs: 1200 },
  });
}

export interface RequestEntry {
  seq: number;
  method: string;
  path: string;
  status: number;
  faultId?: string;
}

/** The emulator's request log (Graph calls only) since `seq`. */
export async function requestsSince(app: LocalSwitchboard, seq: number): Promise<RequestEntry[]> {
  const res = await app.emulatorJson('GET', `/emulator/requests?since=${seq}&path=/v1.0/communications/calls&limit=1000`);
  return res.body.value as RequestEntry[];
}

export async function lastSeq(app: LocalSwitchboard): Promise<number> {
  return (await app.emulatorJson('GET', '/emulator/requests?limit=1')).body.lastSeq as number;
}

/** POST requests whose path ends with `/{action}` (e.g. answer, playPrompt), optionally of one call. */
export function posts(log: RequestEntry[], action: string, callId?: string): RequestEntry[] {
  return log.filter((r) => r.method === 'POST' && r.path.endsWith(`/${action}`) && (callId === undefined || r.path.includes(callId)));
}

export async function fault(app: LocalSwitchboard, spec: Record<string, unknown>): Promise<void> {
  const res = await app.emulatorJson('POST', '/emulator/faults', spec);
  if (res.status !== 201) throw new Error(`fault refused: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function notificationFault(app: LocalSwitchboard, spec: Record<string, unknown>): Promise<void> {
  const res = await app.emulatorJson('POST', '/emulator/notification-faults', spec);
  if (res.status !== 201) throw new Error(`notification fault refused: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function clearFaults(app: LocalSwitchboard): Promise<void> {
  await app.emulatorJson('DELETE', '/emulator/faults');
  await app.emulatorJson('DELETE', '/emulator/notification-faults');
}

/** The four request faults of the matrix, by name. `slow` stays inside the timeout; `slow-past-timeout` does not. */
export const REQUEST_FAULTS = {
  '429': { status: 429, retryAfterSeconds: 0 },
  '503': { status: 503 },
  reset: { reset: true },
  'reset-after-processing': { reset: true, afterProcessing: true },
  slow: { delayMs: 300 },
  'slow-past-timeout': { delayMs: GRAPH_TIMEOUT_MS + 1000 },
} as const;

export type RequestFaultName = keyof typeof REQUEST_FAULTS;

export function ivrSteps(app: LocalSwitchboard, callId: string, step?: string): Array<Record<string, unknown>> {
  return app.events.filter((e) => e.type === 'ivr.step' && e.callId === callId && (step === undefined || e.step === step)) as Array<Record<string, unknown>>;
}

export async function promptsPlayed(app: LocalSwitchboard, callId: string): Promise<number> {
  return (await truth(app, callId)).prompts.filter((p: { status: string }) => p.status === 'played').length;
}

/** The app's IVR position reached `phase` (e.g. waiting: the prompt finished and the menu listens). */
export function phase(app: LocalSwitchboard, callId: string, want: string, menu = 'main'): Promise<unknown> {
  return eventually(async () => {
    const ivr = (await app.calls.getCall(callId))?.context.ivr as { phase?: string; menu?: string } | undefined;
    return ivr?.phase === want && ivr.menu === menu;
  }, `the IVR of ${callId} to be ${want} in ${menu}`, 8000);
}

export async function emulatedState(app: LocalSwitchboard, callId: string): Promise<string> {
  return (await truth(app, callId)).state as string;
}

/** Ends a scenario's call from the caller's side if it is still up (so scenarios never leak live calls). */
export async function hangUpIfLive(app: LocalSwitchboard, callId: string): Promise<void> {
  if ((await emulatedState(app, callId)) !== 'terminated') await act(app, callId, 'hangup', {}).catch(() => undefined);
  await eventually(async () => (await app.calls.getCall(callId))?.state === 'terminated', `the app to see ${callId} end`, 8000);
}

/** "Ended politely": the apology was played (a last prompt) and the bot hung up. */
export async function endedPolitely(app: LocalSwitchboard, callId: string): Promise<void> {
  await eventually(() => ivrSteps(app, callId, 'ended-politely').length > 0, `${callId} to be ended politely`, 8000);
  await eventually(async () => (await emulatedState(app, callId)) === 'terminated', `${callId} to be hung up`, 8000);
}
