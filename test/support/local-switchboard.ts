// Starts a real Switchboard in local mode (embedded emulator) on ephemeral ports with a temporary data folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Agent, request } from 'undici';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startSwitchboard, type Switchboard } from '../../server/start.js';

export interface LocalSwitchboard extends Switchboard {
  dataDir: string;
  /** Everything the app logged, as JSON lines (for secret-hygiene checks). */
  logs: string[];
  /** An undici agent that trusts the emulator's certificate. */
  emulatorAgent: Agent;
  emulatorJson(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startLocalSwitchboard(env: Record<string, string> = {}, dataDir?: string): Promise<LocalSwitchboard> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const config = loadConfig({ PORT: '0', EMULATOR_PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'debug', ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await startSwitchboard(config, createLogger(config.logLevel, sink));
  const emulatorAgent = new Agent({ connect: { ca: app.emulator!.caCertPem } });
  return {
    ...app,
    dataDir: dir,
    logs,
    emulatorAgent,
    async emulatorJson(method, path, body) {
      const res = await request(app.emulator!.url + path, {
        method: method as 'GET',
        dispatcher: emulatorAgent,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await app.close();
      await emulatorAgent.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
