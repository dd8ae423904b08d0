// Local mode against an emulator that is already running (EMULATOR_URL), as the instances of a local cluster share
// one: trust its certificate (EMULATOR_CA_FILE, or the one it keeps in DATA_DIR/emulator/tls-cert.pem), read where its
// services are from its control index, and register the calling webhook there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { MicrosoftEndpoints } from './start.js';

interface ControlIndex {
  authorityUrl: string;
  graphUrl: string;
  callingOpenIdMetadataUrl: string;
}

export async function connectExternalEmulator(
  emulator: { url: string; caFile?: string },
  dataDir: string,
  appId: string,
): Promise<{ endpoints: MicrosoftEndpoints; registerCallingWebhook(url: string): Promise<void> }> {
  const caFile = emulator.caFile ?? join(dataDir, 'emulator', 'tls-cert.pem');
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch {
    throw new Error(`EMULATOR_URL is set but the emulator's certificate ${caFile} cannot be read: set EMULATOR_CA_FILE to its tls-cert.pem`);
  }
  const agent = new Agent({ connect: { ca } });
  const call = async (method: 'GET' | 'PUT', path: string, body?: unknown) => {
    const res = await request(`${emulator.url}${path}`, {
      method,
      dispatcher: agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((err: Error) => {
      throw new Error(`EMULATOR_URL ${emulator.url} does not answer (${err.message}): start it with npm run emulator, or unset EMULATOR_URL`);
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`the emulator answered ${res.statusCode} to ${method} ${path}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as unknown;
  };
  const index = (await call('GET', '/emulator')) as ControlIndex;
  return {
    endpoints: {
      graphBaseUrl: index.graphUrl,
      authorityUrl: index.authorityUrl,
      knownAuthorities: [new URL(emulator.url).host],
      extraCaPem: ca,
      callingOpenIdMetadataUrl: index.callingOpenIdMetadataUrl,
      recordingHosts: [],
      recordingLoopbackHosts: [new URL(emulator.url).host],
    },
    async registerCallingWebhook(url: string) {
      await call('PUT', `/emulator/apps/${appId}/calling-webhook`, { url });
    },
  };
}
