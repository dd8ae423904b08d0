// A meeting in a cluster: the bot joins through chat on whichever instance the front picks, people come and go in
// the emulator, and side-panel streams open on every instance all see each change — wherever its notification
// landed — while a roster read from any instance agrees with the emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startLocalCluster, type LocalCluster } from '../../server/cluster/local-cluster.js';
import { createLogger } from '../../server/logger.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { FAST_EMULATOR } from '../support/local-switchboard.js';
import { clusterEmulator, eventually, type ClusterEmulator } from './cluster-support.js';
import { UPN } from '../e2e/people.js';

describe('a meeting and its side panel across instances (distributed mode)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let connector: FakeConnector;
  let dir: string;
  let emu: ClusterEmulator;
  let seq = 0;
  const streams: Array<{ text: string; close(): void }> = [];

  const emulator = (method: string, path: string, body?: unknown) => emu.json(method, path, body);

  async function say(text: string, aadObjectId: string): Promise<any[]> {
    const before = connector.sent.length;
    const activity = {
      type: 'message',
      id: `m-${++seq}`,
      text,
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from: { id: `user-${aadObjectId}`, name: 'Mateo Alvarez', aadObjectId },
      recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'cluster-chat', conversationType: 'personal', tenantId: cluster.emulator.tenantId },
    };
    const res = await request(`${cluster.front.url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
    await res.body.text();
    assert.ok(res.statusCode < 300, `status ${res.statusCode}`);
    await eventually(() => connector.sent.length > before, `a reply to "${text}"`);
    return connector.sent.slice(before).map((s) => s.activity);
  }

  async function tabToken(base: string, upn: string): Promise<string> {
    const res = await request(`${base}/api/tab/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: upn }) });
    const body = (await res.body.json()) as { accessToken: string };
    assert.equal(res.statusCode, 200);
    return body.accessToken;
  }

  async function openStream(base: string, meetingKey: string, token: string): Promise<{ text: string; close(): void }> {
    const controller = new AbortController();
    const res = await request(`${base}/api/tab/meetings/${encodeURIComponent(meetingKey)}/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    assert.equal(res.statusCode, 200);
    const stream = { text: '', close: () => controller.abort() };
    res.body.on('data', (chunk: Buffer) => (stream.text += chunk.toString('utf8')));
    res.body.on('error', () => undefined);
    streams.push(stream);
    return stream;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-cluster-meetings-'));
    connector = await startFakeConnector();
    cluster = await startLocalCluster({
      instances: 3,
      port: 0,
      emulatorPort: 0,
      dataDir: dir,
      logger: createLogger('silent'),
      env: { LOG_LEVEL: 'info' },
      emulatorOptions: { ...FAST_EMULATOR, rosterBatchMs: 20 },
    });
    emu = clusterEmulator(cluster);
  });
  after(async () => {
    for (const s of streams) s.close();
    await cluster?.close();
    await connector?.close();
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every instance\'s side-panel stream sees each roster change, and every instance reads the same roster', async () => {
    const users = (await emulator('GET', '/emulator/users')).value as Array<{ id: string; userPrincipalName: string }>;
    const mateo = users.find((u) => u.userPrincipalName === UPN.mateo)!;
    const created = await say('meeting Cluster review with Priya Raman, Jonas Lindqvist', mateo.id);
    const link = /https:\/\/teams\.microsoft\.com\/l\/meetup-join\/[^"\s\\]+/.exec(JSON.stringify(created))?.[0];
    assert.ok(link, `a join link in ${JSON.stringify(created).slice(0, 400)}`);
    await say(`join ${link}`, mateo.id);
    const meeting = await eventually(async () => {
      const all = (await emulator('GET', '/emulator/meetings')).value as Array<{ threadId?: string; botCallIds?: string[] }>;
      return all.find((m) => m.threadId && (m.botCallIds?.length ?? 0) > 0);
    }, 'the bot in the meeting');
    const meetingKey = meeting.threadId!;

    const opened: Array<{ text: string; close(): void }> = [];
    for (const instance of cluster.instances) opened.push(await openStream(instance.url, meetingKey, await tabToken(instance.url, UPN.mateo)));
    await eventually(() => opened.every((s) => s.text.includes('connected')), 'three streams connected');

    for (const who of [UPN.priya, UPN.jonas, UPN.hana]) await emulator('POST', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people`, { person: who });
    for (const name of ['Priya Raman', 'Jonas Lindqvist', 'Hana Sato']) {
      await eventually(() => opened.every((s) => s.text.includes(name)), `${name} on every instance's stream`);
    }
    await emulator('DELETE', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people/${UPN.hana}`);

    const truth = async () => ((await emulator('GET', `/emulator/meetings/${encodeURIComponent(meetingKey)}`)).people as Array<{ displayName: string }>).map((p) => p.displayName).sort();
    await eventually(async () => {
      const expected = JSON.stringify(await truth());
      for (const instance of cluster.instances) {
        const token = await tabToken(instance.url, UPN.mateo);
        const res = await request(`${instance.url}/api/tab/meetings/${encodeURIComponent(meetingKey)}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.body.json()) as { roster?: { entries: Array<{ displayName: string; isBot?: boolean }> } };
        const names = (body.roster?.entries ?? []).filter((e) => !e.isBot).map((e) => e.displayName).sort();
        if (JSON.stringify(names) !== expected) return false;
      }
      return true;
    }, 'the same roster as the emulator on every instance');
  });
});
