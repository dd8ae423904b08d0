// Chat and live views in a cluster: a call card from chat updates in place as the call's notifications land on any
// instance; the bot joins a meeting through chat on whichever instance the front picks, people come and go in the
// emulator, and side-panel streams open on every instance all see each change — wherever its notification landed —
// while a roster read from any instance agrees with the emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startLocalCluster, type LocalCluster } from '../../server/cluster/local-cluster.js';
import { createLogger } from '../../server/logger.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { FAST_EMULATOR } from '../support/local-switchboard.js';
import { clusterChat, clusterEmulator, eventually, tabToken, type ClusterEmulator } from './cluster-support.js';
import { UPN } from '../e2e/people.js';

describe('a meeting and its side panel across instances (distributed mode)', function () {
  this.timeout(120_000);
  let cluster: LocalCluster;
  let connector: FakeConnector;
  let dir: string;
  let emu: ClusterEmulator;
  let chat: ReturnType<typeof clusterChat>;
  const streams: Array<{ text: string; close(): void }> = [];

  const emulator = (method: string, path: string, body?: unknown) => emu.json(method, path, body);

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
    chat = clusterChat(cluster, connector);
  });
  it('a call placed from chat: its card updates in place (ringing, connected, ended) whichever instance processed each notification', async () => {
    const users = (await emulator('GET', '/emulator/users')).value as Array<{ id: string; userPrincipalName: string }>;
    const mateo = users.find((u) => u.userPrincipalName === UPN.mateo)!;
    await emulator('PUT', `/emulator/people/${UPN.jonas}/behavior`, { onCall: 'manual' });
    const updatesBefore = connector.updates.length;
    const sentBefore = connector.sent.length;
    await chat.say('call Jonas Lindqvist', mateo.id);
    await eventually(() => connector.sent.slice(sentBefore).find((s) => /Call with Jonas Lindqvist/.test(JSON.stringify(s.activity))), 'the call card');
    const calls = () => emulator('GET', '/emulator/calls').then((r) => r.value as Array<{ id: string; state: string; ringing?: unknown[] }>);
    const ringing = await eventually(async () => (await calls()).find((c) => (c.ringing?.length ?? 0) > 0 && c.state !== 'terminated'), 'Jonas ringing');
    await emulator('POST', `/emulator/calls/${ringing.id}/answer`, { person: UPN.jonas });
    await eventually(() => connector.updates.slice(updatesBefore).some((u) => JSON.stringify(u.activity).includes('Connected')), 'the card to say Connected');
    await emulator('POST', `/emulator/calls/${ringing.id}/hangup`, { person: UPN.jonas });
    const ended = await eventually(() => connector.updates.slice(updatesBefore).find((u) => /Ended/.test(JSON.stringify(u.activity))), 'the card to say Ended');
    assert.doesNotMatch(JSON.stringify(ended.activity), /Hang up/, 'no hang-up button on an ended call');
    assert.deepEqual([...new Set(connector.updates.slice(updatesBefore).map((u) => u.activityId))], [ended.activityId], 'every update replaced the same message');
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
    const created = await chat.say('meeting Cluster review with Priya Raman, Jonas Lindqvist', mateo.id);
    const link = /https:\/\/teams\.microsoft\.com\/l\/meetup-join\/[^"\s\\]+/.exec(JSON.stringify(created))?.[0];
    assert.ok(link, `a join link in ${JSON.stringify(created).slice(0, 400)}`);
    await chat.say(`join ${link}`, mateo.id);
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
