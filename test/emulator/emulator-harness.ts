// Test support: starts an emulator in-process on an ephemeral port with a temporary data directory, and talks to it
// over real HTTPS (undici, trusting only the emulator's certificate).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startEmulator, DEV_APP_ID, type EmulatedApp, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';

export const DEV_SECRET = 'switchboard-local-development-secret';
export const NO_ROLES_APP: EmulatedApp = { clientId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', clientSecret: 'no-roles-secret-value', displayName: 'No roles', roles: [] };
export const DEV_APP: EmulatedApp = { clientId: DEV_APP_ID, clientSecret: DEV_SECRET, displayName: 'Switchboard (test)', roles: ['Calls.Initiate.All', 'User.Read.All'] };
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const AMARA_ID = 'bff4498d-477a-4f74-90d4-d940c6663180';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export interface CallOptions {
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string | Buffer;
  token?: string;
}

export interface Harness {
  emulator: RunningEmulator;
  dataDir: string;
  agent: Agent;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  tokenRequest(form: Record<string, string>): Promise<Reply>;
  appToken(clientId?: string, secret?: string): Promise<string>;
  userToken(userId: string, body: Record<string, unknown>): Promise<string>;
  /** Closes the emulator and the client; removes the data directory unless it was given. */
  close(): Promise<void>;
}

export async function newDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'switchboard-emulator-'));
}

export async function startHarness(options: Partial<EmulatorOptions> = {}): Promise<Harness> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await newDataDir());
  // People ring until a test acts for them (peopleAnswer 'manual', the emulator's own default, said explicitly).
  const emulator = await startEmulator({ port: 0, apps: [DEV_APP, NO_ROLES_APP], peopleAnswer: 'manual', ...options, dataDir });
  const agent = new Agent({ connect: { ca: emulator.caCertPem } });

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...o.headers };
    let body: string | Buffer | undefined = o.body;
    if (o.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(o.json);
    }
    if (o.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    }
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    const res = await request(`${emulator.url}${path}`, { method: method as 'GET', headers, body, dispatcher: agent });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers: flat, text, json };
  };

  const tokenRequest = (form: Record<string, string>) => call('POST', `/${emulator.tenantId}/oauth2/v2.0/token`, { form });

  return {
    emulator,
    dataDir,
    agent,
    call,
    tokenRequest,
    async appToken(clientId = DEV_APP.clientId, secret = DEV_SECRET) {
      const reply = await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: GRAPH_SCOPE });
      if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
      return reply.json.access_token as string;
    },
    async userToken(userId, body) {
      const reply = await call('POST', `/emulator/users/${encodeURIComponent(userId)}/token`, { json: body });
      if (reply.status !== 200) throw new Error(`user token failed: ${reply.status} ${reply.text}`);
      return reply.json.access_token as string;
    },
    async close() {
      await emulator.close();
      await agent.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
