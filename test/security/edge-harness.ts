// What the hostile-input suites share: a local Switchboard whose temp folder is private (so "no file left in the temp
// folder" is exact), raw requests, and one snapshot of everything a refused request must not change — the emulator's
// Graph request log, the temp folder, the store's rows and Object.prototype — plus a liveness probe.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createDeflate, createGzip, type Gzip } from 'node:zlib';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { startLocalSwitchboard, type LocalOptions, type LocalSwitchboard } from '../support/local-switchboard.js';

export interface EdgeApp {
  app: LocalSwitchboard;
  tmp: string;
  stop(): Promise<void>;
}

/** A local app with os.tmpdir() pointed at a folder of its own for the life of the suite. */
export async function startEdgeApp(options: LocalOptions = {}): Promise<EdgeApp> {
  const previous = process.env.TMPDIR;
  const tmp = mkdtempSync(join(tmpdir(), 'switchboard-edge-tmp-'));
  process.env.TMPDIR = tmp;
  assert.equal(tmpdir(), tmp);
  const app = await startLocalSwitchboard(options);
  return {
    app,
    tmp,
    async stop() {
      await app.stop();
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Readable }): Promise<Sent> {
  const res = await request(url, { method: (init.method ?? 'POST') as 'POST', headers: init.headers ?? {}, body: init.body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export interface Snapshot {
  graphMark: number;
  tmpFiles: string[];
  rows: string;
}

function storeRows(app: LocalSwitchboard): string {
  const db = new Database(join(app.dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
  try {
    return JSON.stringify(db.prepare('SELECT collection, key, value FROM items ORDER BY collection, key').all());
  } finally {
    db.close();
  }
}

export async function snapshot(edge: EdgeApp): Promise<Snapshot> {
  const log = await edge.app.emulatorJson('GET', '/emulator/requests?path=/v1.0');
  return { graphMark: log.body.lastSeq as number, tmpFiles: readdirSync(edge.tmp).sort(), rows: storeRows(edge.app) };
}

/** Nothing changed since `before`: no Graph request, no temp file, no store write, no prototype pollution, alive. */
export async function assertNothingChanged(edge: EdgeApp, before: Snapshot, what: string): Promise<void> {
  const graph = await edge.app.emulatorJson('GET', `/emulator/requests?since=${before.graphMark}&path=/v1.0`);
  assert.deepEqual(graph.body.value.map((e: { method: string; path: string }) => `${e.method} ${e.path}`), [], `${what}: no Graph request`);
  assert.deepEqual(readdirSync(edge.tmp).sort(), before.tmpFiles, `${what}: no file left in the temp folder`);
  assert.equal(storeRows(edge.app), before.rows, `${what}: no store write`);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, `${what}: Object.prototype untouched`);
  const health = await send(`${edge.app.url}/healthz`, { method: 'GET' });
  assert.equal(health.status, 200, `${what}: the process still answers`);
}

/** `megabytes` of zeros compressed, built as a stream (never the whole inflated body in memory). */
export async function zeroBomb(megabytes: number, kind: 'gzip' | 'deflate'): Promise<Buffer> {
  const zip: Gzip = kind === 'gzip' ? createGzip({ level: 9 }) : createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  zip.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
  });
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) {
    if (!zip.write(chunk)) await new Promise((r) => zip.once('drain', r));
  }
  zip.end();
  await done;
  return Buffer.concat(parts);
}

/** A body sent chunked (no Content-Length), so only the bytes actually read can be counted. */
export function chunked(body: Buffer): Readable {
  const size = 64 * 1024;
  return Readable.from((function* () {
    for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
  })());
}
