// Replays captured commsNotifications batches (JSON files as Graph sends them) to an app's calling webhook, each
// POST signed with the emulator's calling-service key exactly as the emulator signs its own notifications.

import { randomUUID } from 'node:crypto';
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

export interface ReplayOptions {
  /** The app's calling webhook, e.g. http://127.0.0.1:3978/api/calling. */
  webhookUrl: string;
  /** The token's `aud`: the bot's app id. */
  appId: string;
  /** The emulator's data dir, holding calling-signing-key.json. */
  dataDir: string;
  /** The token's `tid` when a capture names no tenant. */
  tenantId?: string;
}

export type ReplayResult =
  | { file: string; kind: 'sent'; status: number; statusText: string; body: string; ok: boolean }
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
  const results: ReplayResult[] = [];
  for (const path of files) {
    const result = await replayOne(path, signer, options);
    results.push(result);
    onResult(result);
  }
  return results;
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
