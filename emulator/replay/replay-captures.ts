// Replays captured commsNotifications batches (JSON files as Graph sends them) to an app's calling webhook, each
// POST signed with the emulator's calling-service key exactly as the emulator signs its own notifications. The
// webhook answers 202 before it processes anything (as Graph requires), so after each POST the tool also watches the
// emulator's request log for what the app then asked Graph about the capture's calls, and reports it.

import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CALLING_ISSUER, CallingService } from '../calling/calling-service.js';
import { DEFAULT_TENANT_ID } from '../emulator-options.js';
import { EmulatorError } from '../emulator-error.js';
import { readIfExists } from '../keys/data-dir-files.js';
import { SigningKey } from '../keys/signing-key.js';

export const CALLING_KEY_NAME = 'calling-signing-key';
const REQUEST_TIMEOUT_MS = 30_000;
const BODY_PRINT_LIMIT = 4000;
const WATCH_POLL_MS = 200;
/** How long after the last request about the capture's calls the app counts as done with it. */
const QUIET_MS = 600;

export interface ReplayOptions {
  /** The app's calling webhook, e.g. http://127.0.0.1:3978/api/calling. */
  webhookUrl: string;
  /** The token's `aud`: the bot's app id. */
  appId: string;
  /** The emulator's data dir, holding calling-signing-key.json. */
  dataDir: string;
  /** The token's `tid` when a capture names no tenant. */
  tenantId?: string;
  /** The emulator the app uses (its control API shows what the app asked Graph next); trusted with dataDir's tls-cert.pem. */
  emulatorUrl?: string;
  /** The longest wait for the app's follow-up requests after each POST. Default 3000. */
  settleMs?: number;
}

/** A Graph request the app made about one of the capture's calls after the POST, as the emulator logged it. */
export interface FollowUp {
  method: string;
  path: string;
  status: number;
}

export type ReplayResult =
  | {
      file: string;
      kind: 'sent';
      status: number;
      statusText: string;
      body: string;
      ok: boolean;
      /** What the app asked Graph next about the capture's calls; undefined when the emulator could not be watched. */
      followUps?: FollowUp[];
      /** The capture's call ids (for explaining a 404: Graph does not know a call that exists only in a capture). */
      callIds: string[];
    }
  | { file: string; kind: 'skipped'; problem: string }
  | { file: string; kind: 'failed'; problem: string };

/** A file, or a folder's `*.json` files in name order (numbers in names compare as numbers). */
export async function listCaptures(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new EmulatorError('emulator/replay-not-found', `There is no file or folder '${path}' to replay.`, 400);
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((d) => d.isFile() && d.name.toLowerCase().endsWith('.json'))
    .map((d) => d.name)
    .sort(new Intl.Collator('en', { numeric: true }).compare);
  if (names.length === 0) throw new EmulatorError('emulator/replay-empty', `The folder '${path}' has no *.json captures to replay.`, 400);
  return names.map((n) => join(path, n));
}

/** Loads the calling-service key the emulator created; never creates one (the app would not trust it). */
export async function loadCallingKey(dataDir: string): Promise<SigningKey> {
  const file = join(dataDir, `${CALLING_KEY_NAME}.json`);
  if ((await readIfExists(file)) === undefined) {
    throw new EmulatorError('emulator/replay-no-key', `There is no calling signing key at ${file}: start the app in local mode (npm start) or the emulator (npm run emulator) once to create it, or pass --data-dir <the emulator's data dir>.`, 400);
  }
  return SigningKey.loadOrCreate(dataDir, CALLING_KEY_NAME);
}

export async function replayCaptures(files: string[], options: ReplayOptions, onResult: (r: ReplayResult) => void = () => {}): Promise<ReplayResult[]> {
  const key = await loadCallingKey(options.dataDir);
  const signer = new CallingService(key, 'https://127.0.0.1', options.tenantId ?? DEFAULT_TENANT_ID);
  const watcher = options.emulatorUrl ? await RequestWatcher.open(options.emulatorUrl, options.dataDir) : undefined;
  const results: ReplayResult[] = [];
  try {
    for (const path of files) {
      const since = await watcher?.lastSeq();
      const result = await replayOne(path, signer, options);
      if (result.kind === 'sent' && result.ok && watcher && since !== undefined) {
        const followUps = await watcher.followUps(since, result.callIds, options.settleMs ?? 3_000);
        if (followUps) result.followUps = followUps;
      }
      results.push(result);
      onResult(result);
    }
  } finally {
    await watcher?.close();
  }
  return results;
}

/** Reads the emulator's request log (GET /emulator/requests) for the Graph requests that name given call ids. */
class RequestWatcher {
  private constructor(private readonly url: string, private readonly agent: Agent) {}

  static async open(url: string, dataDir: string): Promise<RequestWatcher | undefined> {
    const ca = await readIfExists(join(dataDir, 'tls-cert.pem'));
    if (!ca) return undefined;
    return new RequestWatcher(url.replace(/\/+$/, ''), new Agent({ connect: { ca } }));
  }

  async lastSeq(): Promise<number | undefined> {
    return (await this.get('/emulator/requests?limit=1'))?.lastSeq;
  }

  /** Waits until the app has gone quiet about these calls (or settleMs passed); undefined when the log is unreachable. */
  async followUps(since: number, callIds: string[], settleMs: number): Promise<FollowUp[] | undefined> {
    const ids = callIds.map((id) => id.toLowerCase());
    const deadline = Date.now() + settleMs;
    let found: FollowUp[] = [];
    let lastChange = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, WATCH_POLL_MS));
      const log = await this.get(`/emulator/requests?since=${since}&path=${encodeURIComponent('/v1.0/communications/calls/')}`);
      if (!log) return undefined;
      const now = log.value
        .filter((r) => ids.some((id) => r.path.toLowerCase().includes(`/communications/calls/${id}`)))
        .map((r) => ({ method: r.method, path: r.path, status: r.status }));
      if (now.length !== found.length) lastChange = Date.now();
      found = now;
      if (Date.now() >= deadline || (found.length > 0 && Date.now() - lastChange >= QUIET_MS)) return found;
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  // Generous: the app and the emulator may share a process busy synthesizing a prompt (npm start).
  private async get(path: string): Promise<{ value: Array<{ method: string; path: string; status: number }>; lastSeq: number } | undefined> {
    try {
      const res = await request(`${this.url}${path}`, { dispatcher: this.agent, headersTimeout: 10_000, bodyTimeout: 10_000 });
      if (res.statusCode !== 200) {
        await res.body.dump();
        return undefined;
      }
      return (await res.body.json()) as { value: Array<{ method: string; path: string; status: number }>; lastSeq: number };
    } catch {
      return undefined;
    }
  }
}

async function replayOne(path: string, signer: CallingService, options: ReplayOptions): Promise<ReplayResult> {
  const file = basename(path);
  let text: string;
  let batch: unknown;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { file, kind: 'skipped', problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  try {
    batch = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { file, kind: 'skipped', problem: `not JSON (${(err as Error).message})` };
  }

  const token = await signer.signToken({ audience: options.appId, tenantId: tenantOf(batch) ?? options.tenantId ?? DEFAULT_TENANT_ID, issuer: CALLING_ISSUER });
  const chainId = callChainIdOf(batch);
  try {
    const res = await fetch(options.webhookUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': 'Microsoft-Skype/3.0,(Calling/1.0)',
        'x-microsoft-skype-message-id': randomUUID(),
        ...(chainId ? { 'x-microsoft-skype-chain-id': chainId } : {}),
      },
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await res.text();
    return {
      file,
      kind: 'sent',
      status: res.status,
      statusText: res.statusText,
      body: body.length > BODY_PRINT_LIMIT ? `${body.slice(0, BODY_PRINT_LIMIT)}…` : body,
      ok: res.status >= 200 && res.status < 300,
      callIds: callIdsOf(batch),
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { file, kind: 'failed', problem: `POST ${options.webhookUrl} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  }
}

/** The capture's tenant: a top-level `tenantId`, else the first notification's `resourceData.tenantId`. */
export function tenantOf(batch: unknown): string | undefined {
  if (!isObject(batch)) return undefined;
  if (typeof batch.tenantId === 'string' && batch.tenantId) return batch.tenantId;
  for (const data of resourceData(batch)) if (typeof data.tenantId === 'string' && data.tenantId) return data.tenantId;
  return undefined;
}

/** The calls a capture is about: the ids in its notifications' resourceUrl (…/communications/calls/{id}…). */
export function callIdsOf(batch: unknown): string[] {
  if (!isObject(batch) || !Array.isArray(batch.value)) return [];
  const ids = new Set<string>();
  for (const n of batch.value.filter(isObject)) {
    const url = typeof n.resourceUrl === 'string' ? n.resourceUrl : typeof n.resource === 'string' ? n.resource : '';
    const match = /communications\/calls\/([0-9A-Za-z-]{1,100})/i.exec(url);
    if (match) ids.add(match[1]!);
  }
  return [...ids];
}

function callChainIdOf(batch: unknown): string | undefined {
  for (const data of resourceData(batch)) if (typeof data.callChainId === 'string' && /^[\w-]{1,100}$/.test(data.callChainId)) return data.callChainId;
  return undefined;
}

function resourceData(batch: unknown): Record<string, unknown>[] {
  if (!isObject(batch) || !Array.isArray(batch.value)) return [];
  return batch.value.filter(isObject).map((n) => n.resourceData).filter(isObject);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
