// Start-up refuses unsafe or impossible options with stable codes.

import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { startEmulator } from '../../emulator/index.js';
import { newDataDir, startHarness } from './emulator-harness.js';

describe('emulator start-up options', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await newDataDir();
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const refusals: Array<{ name: string; options: Record<string, unknown>; code: string }> = [
    { name: 'a non-loopback host', options: { host: '0.0.0.0' }, code: 'emulator/non-loopback-host' },
    { name: 'a port out of range', options: { port: 70000 }, code: 'emulator/invalid-port' },
    { name: 'a tenant id that is not a GUID', options: { tenantId: 'contoso.onmicrosoft.com' }, code: 'emulator/invalid-tenant-id' },
    { name: 'the same app twice', options: { apps: [{ clientId: 'a', displayName: 'A', roles: [] }, { clientId: 'A', displayName: 'A2', roles: [] }] }, code: 'emulator/invalid-app' },
  ];
  for (const row of refusals) {
    it(`refuses ${row.name}`, async () => {
      await assert.rejects(startEmulator({ dataDir, port: 0, ...row.options }), { code: row.code });
    });
  }

  it('reports a port already in use with emulator/port-in-use', async () => {
    const h = await startHarness();
    try {
      await assert.rejects(startEmulator({ dataDir, port: h.emulator.port }), { code: 'emulator/port-in-use' });
    } finally {
      await h.close();
    }
  });

  it('close() ends a request held by a fault delay instead of waiting for it', async () => {
    const h = await startHarness();
    await h.call('POST', '/emulator/faults', { json: { match: { path: '/skype/v1/keys' }, delayMs: 600_000 } });
    // Its rejection is expected at once, while close() is still running: the check is attached before anything else awaits.
    const held = assert.rejects(h.call('GET', '/skype/v1/keys'));
    await h.call('GET', '/emulator/health');
    await h.emulator.close();
    await held;
    await h.close();
  });

  it('close() can be called twice', async () => {
    const h = await startHarness();
    await h.emulator.close();
    await h.close();
  });
});
