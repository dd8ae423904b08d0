// kill -9 at the worst moment (distributed mode, 3 instances behind the round-robin front): the instance running an
// IVR transfer dies before its request, with the request taken by Graph, or with the request lost — the call is
// transferred through another instance, the request retried at most once; the instance running a chat's "mute all"
// dies halfway — another mutes the rest, each person once, and the chat card gets the tally; the instance serving a
// side panel's roster stream dies — the panel reconnects through the front to another instance, reloads, and its
// roster ends up equal to the emulator's. Asserted on the emulator's request log, calls and meetings, on the shared
// store and on what the chat and the panel were sent.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { request } from 'undici';
import type { CallSession } from '../../comms/calls/index.js';
import type { IvrPosition } from '../../comms/ivr/index.js';
import { MEETINGS_COLLECTION, MUTE_ALL_JOBS_COLLECTION, type MeetingRecord } from '../../comms/meetings/index.js';
import { openRedisStore, type Store } from '../../comms/store/index.js';
import { startLocalCluster, type ClusterInstance, type LocalCluster } from '../../server/cluster/local-cluster.js';
import { createLogger } from '../../server/logger.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { FAST_EMULATOR } from '../support/local-switchboard.js';
import { loadWebModule } from '../tab/load-web-module.js';
import { clusterChat, clusterEmulator, eventually, meetingWithBot, tabToken, type ClusterEmulator } from './cluster-support.js';
import { UPN } from '../e2e/people.js';

const TRANSFER_PATH = (callId: string) => `/v1.0/communications/calls/${callId}/transfer`;

describe('kill -9 at the worst moment (distributed mode)', function () {
  this.timeout(180_000);
  let cluster: LocalCluster;
  let dir: string;
  let emu: ClusterEmulator;
  let redis: Redis;
  let store: Store;
  let connector: FakeConnector;
  let chat: ReturnType<typeof clusterChat>;
  let mateoId: string;
  const emulator = (method: string, path: string, body?: unknown) => emu.json(method, path, body);
  const truth = (callId: string) => emulator('GET', `/emulator/calls/${callId}`);
  const position = async (callId: string) => (await store.get<CallSession>('calls', callId))?.context.ivr as IvrPosition | undefined;
  const instanceNamed = (instanceId: string): ClusterInstance => cluster.instances.find((i) => instanceId.startsWith(`instance-${i.index + 1}-`))!;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-failover-'));
    const desk = join(dir, 'desk.json');
    writeFileSync(
      desk,
      JSON.stringify({
        timezone: 'UTC',
        people: { agent: UPN.priya },
        default: { action: 'answer', menu: 'main' },
        menus: {
          main: {
            prompt: { text: 'Main menu. Press 2 or 5 for an agent.' },
            options: {
              '2': { action: 'transfer', to: 'agent', prompt: { text: 'Putting you through to an agent now.' } },
              '5': { action: 'transfer', to: 'agent' },
              '7': { action: 'menu', menu: 'quiet' },
            },
            timeoutSeconds: 60,
            maxRetries: 1,
            fallback: { action: 'hangup' },
          },
          quiet: { prompt: { text: 'A quiet menu. Press star to go back.' }, options: { '*': { action: 'back' } }, timeoutSeconds: 2, maxRetries: 1, fallback: { action: 'hangup' } },
        },
      }),
    );
    cluster = await startLocalCluster({
      instances: 3,
      port: 0,
      emulatorPort: 0,
      dataDir: dir,
      logger: createLogger('silent'),
      env: { LOG_LEVEL: process.env.CLUSTER_LOG_LEVEL ?? 'info', FRONT_DESK_FILE: desk },
      emulatorOptions: FAST_EMULATOR,
    });
    emu = clusterEmulator(cluster);
    redis = new Redis(cluster.redisUrl, { maxRetriesPerRequest: 1 });
    store = openRedisStore(redis);
    connector = await startFakeConnector();
    chat = clusterChat(cluster, connector, 'failover-chat');
    const users = (await emulator('GET', '/emulator/users')).value as Array<{ id: string; userPrincipalName: string }>;
    mateoId = users.find((u) => u.userPrincipalName === UPN.mateo)!.id;
    await emulator('PUT', `/emulator/people/${UPN.priya}/behavior`, { onCall: 'answer', answerDelayMs: 50 });
  });
  afterEach(async () => {
    await emulator('DELETE', '/emulator/faults');
    await Promise.all(cluster.instances.filter((i) => !i.alive).map((i) => i.start()));
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.close();
    await connector?.close();
    await emu?.close();
    if (dir && !process.env.KEEP_CLUSTER_DIR) rmSync(dir, { recursive: true, force: true });
  });

  /** A caller in the main menu, its prompt played; resolves with the call id. */
  async function inMainMenu(caller: string): Promise<string> {
    const { callId } = await emulator('POST', `/emulator/people/${caller}/dial`, {});
    await eventually(async () => (await truth(callId)).state === 'established', 'the call to be established');
    await eventually(async () => ((await truth(callId)).prompts as Array<{ status: string }>).some((p) => p.status === 'played'), 'the main menu played');
    await eventually(async () => (await position(callId))?.phase === 'waiting', 'the menu waiting for a key');
    return callId;
  }

  /** The call was handed to Priya: Graph reports the transfer completed and the bot's call ended. */
  async function transferred(callId: string): Promise<void> {
    const call = await eventually(async () => {
      const t = await truth(callId);
      return t.state === 'terminated' && t;
    }, 'the bot\'s call to end with the transfer', 40_000);
    assert.equal(call.transfer?.outcome, 'completed', JSON.stringify(call.transfer));
    await eventually(async () => (await store.get<CallSession>('calls', callId))?.state === 'terminated', 'the shared store to have the call ended');
  }

  const transferRequests = async (callId: string) => (await emu.requests(TRANSFER_PATH(callId))).filter((r) => r.path === TRANSFER_PATH(callId));

  it('killed after choosing a transfer, while its goodbye prompt plays (no request yet): another instance transfers the call, once', async () => {
    const callId = await inMainMenu(UPN.hana);
    // The goodbye prompt's request is held: the owner is killed while it waits for it, before any transfer request.
    await emulator('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls/*/playPrompt' }, count: 1, delayMs: 4_000 });
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '2' });
    const done = await eventually(async () => {
      const p = await position(callId);
      return p?.phase === 'done' && p;
    }, 'the menu to decide the transfer');
    await instanceNamed(done.owner!).kill();
    await transferred(callId);
    assert.equal((await transferRequests(callId)).length, 1, 'one transfer request');
  });

  it('killed with its transfer request taken by Graph (the answer never came back): nothing is sent again', async () => {
    const callId = await inMainMenu(UPN.elif);
    await emulator('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls/*/transfer' }, count: 1, delayMs: 10_000, afterProcessing: true });
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '5' });
    await eventually(async () => (await truth(callId)).state !== 'established', 'Graph to take the transfer');
    const owner = (await position(callId))!.owner!;
    await instanceNamed(owner).kill();
    await transferred(callId);
    await new Promise((r) => setTimeout(r, 12_000)); // past the lease and the held answer: time for a wrong second request
    assert.equal((await transferRequests(callId)).length, 1, 'one transfer request');
  });

  it('killed with its transfer request lost on the way: another instance retries it once, and the call is transferred', async () => {
    const callId = await inMainMenu(UPN.tomasz);
    // The request is held before Graph acts on it, for longer than the lease: the retry gets there first.
    await emulator('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls/*/transfer' }, count: 1, delayMs: 20_000 });
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '5' });
    const sent = await eventually(async () => {
      const p = await position(callId);
      return p?.phase === 'done' && (p.finishing?.attempts ?? 0) >= 1 && p;
    }, 'the transfer request under way');
    await new Promise((r) => setTimeout(r, 300)); // the request is on the wire
    await instanceNamed(sent.owner!).kill();
    await transferred(callId);
    const retried = await position(callId);
    assert.equal(retried?.finishing?.attempts, 2, JSON.stringify(retried));
    assert.notEqual(retried?.owner, sent.owner, 'another instance retried it');
    // The held first request reaches Graph after the call was transferred: it is refused, and nothing else is sent.
    await eventually(async () => (await transferRequests(callId)).length === 2, 'the held request answered', 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await transferRequests(callId)).length, 2, 'the lost request and one retry, never a third');
  });

  it('killed while its menu waits for a silent caller: another instance times the menu out (retry prompt, then the fallback)', async () => {
    const callId = await inMainMenu(UPN.grace);
    await emulator('POST', `/emulator/calls/${callId}/tones`, { tones: '7' });
    const waiting = await eventually(async () => {
      const p = await position(callId);
      return p?.menu === 'quiet' && p.phase === 'waiting' && p;
    }, 'the quiet menu waiting for a key');
    await instanceNamed(waiting.owner!).kill();
    const promptsAtKill = ((await truth(callId)).prompts as unknown[]).length;
    // Nobody presses anything: only the menu's watch can notice the owner is gone.
    const ended = await eventually(async () => {
      const t = await truth(callId);
      return t.state === 'terminated' && t;
    }, 'the fallback to hang up', 40_000);
    assert.ok((ended.prompts as unknown[]).length > promptsAtKill, 'the retry prompt was played after the kill');
    const last = await position(callId);
    assert.notEqual(last?.owner, waiting.owner, 'another instance ran the rest of the menu');
    assert.equal(last?.phase, 'done');
  });

  const meetingPeople = async (meetingKey: string) => ((await emulator('GET', `/emulator/meetings/${encodeURIComponent(meetingKey)}`)).people as Array<{ participantId: string; displayName: string; isMuted: boolean }>);
  const arrive = (meetingKey: string, upn: string) => emulator('POST', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people`, { person: upn });

  it('killed halfway through a mute-all from chat: another instance mutes the rest, each person once, and the chat card gets the tally', async () => {
    const meetingKey = await meetingWithBot(chat, emu, mateoId, 'Failover mute-all');
    const attendees = [UPN.amara, UPN.jonas, UPN.priya, UPN.hana, UPN.elif, UPN.grace];
    await arrive(meetingKey, UPN.mateo);
    for (const upn of attendees) await arrive(meetingKey, upn);
    // Every attendee in the call's roster (participant ids), as the roster the job starts from.
    await eventually(async () => {
      const snap = await store.get<{ entries: Array<{ id: string; isBot: boolean }> }>('meeting-rosters', meetingKey);
      return (snap?.entries.filter((e) => !e.isBot && !e.id.startsWith('user:')).length ?? 0) >= attendees.length + 1;
    }, 'everyone in the stored roster');
    // Each mute request is held 2.5 s before Graph acts on it: the runner dies with one of them on the way.
    await emulator('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls/*/participants/*/mute' }, count: 50, delayMs: 2_500 });
    const [card] = await chat.say('mute all', mateoId);
    assert.match(JSON.stringify(card), /Muting everyone/);
    const job = await eventually(async () => (await store.list<{ runner?: string; meetingKey: string }>(MUTE_ALL_JOBS_COLLECTION)).find((j) => j.value.meetingKey === meetingKey)?.value, 'the mute-all job');
    await eventually(async () => (await meetingPeople(meetingKey)).some((p) => p.isMuted), 'the first person muted', 30_000);
    await instanceNamed(job.runner!).kill();
    await emulator('DELETE', '/emulator/faults'); // the held request still lands; the rest go at once
    const everyone = await eventually(async () => {
      const people = (await meetingPeople(meetingKey)).filter((p) => p.displayName !== 'Mateo Alvarez');
      return people.length === attendees.length && people.every((p) => p.isMuted) && people;
    }, 'every attendee muted', 60_000);
    const updated = await eventually(() => connector.updates.find((u) => JSON.stringify(u.activity).includes('Muted everyone')), 'the chat card updated with the outcome', 30_000);
    assert.match(JSON.stringify(updated.activity), new RegExp(`Muted ${attendees.length}; 0 already muted`));
    const mutes = (await emu.requests('/mute')).filter((r) => /\/participants\/[^/]+\/mute$/.test(r.path));
    for (const person of everyone) {
      assert.equal(mutes.filter((r) => r.path.endsWith(`/participants/${person.participantId}/mute`)).length, 1, `${person.displayName} muted once`);
    }
    // The outcome is published before the job's claims and record are deleted (a crash in between reports again
    // rather than never): the card can arrive a moment before the job is gone.
    await eventually(async () => (await store.list(MUTE_ALL_JOBS_COLLECTION)).length === 0, 'the job gone once done');
  });

  it('the instance serving a side panel\'s roster stream is killed: the panel reconnects through the front to another instance and its roster ends up right', async () => {
    const { SseParser } = await loadWebModule<{ SseParser: new () => { push(text: string): Array<{ id?: string; event: string; data: string }> } }>('tab/web/sse-parser.ts');
    const { RosterModel } = await loadWebModule<{ RosterModel: new (s: unknown) => { version: number; entries: Map<string, { displayName: string; isMuted: boolean; isBot: boolean }>; apply(d: unknown): string } }>('tab/web/roster-model.ts');
    const meetingKey = await meetingWithBot(chat, emu, mateoId, 'Failover side panel');
    await arrive(meetingKey, UPN.mateo);
    const owner = await eventually(async () => (await store.get<MeetingRecord>(MEETINGS_COLLECTION, meetingKey))?.owner, 'the meeting\'s owner');
    const token = await tabToken(cluster.front.url, UPN.mateo);
    const path = `/api/tab/meetings/${encodeURIComponent(meetingKey)}`;

    // The panel as the browser runs it: load the snapshot, stream from its position, apply diffs; a gap or `reset`
    // reloads; a dropped stream reconnects with Last-Event-ID.
    const panel = {
      model: undefined as InstanceType<typeof RosterModel> | undefined,
      lastEventId: undefined as string | undefined,
      served: [] as string[],
      avoid: undefined as string | undefined, // while set, (re)connects never land there
      resets: 0, // positions the server could not resume from (`reset`)
      why: [] as string[],
      abort: undefined as AbortController | undefined,
      ended: Promise.resolve(),
      reloading: 0, // gap or `reset` reloads in flight (each ends with a new stream)
    };
    // The snapshot, as the browser loads it: the front may hand a request to the instance just killed (502), and the
    // panel tries again, as the browser's reload does.
    const load = async () => {
      for (let attempt = 1; ; attempt += 1) {
        const res = await request(cluster.front.url + path, { headers: { authorization: `Bearer ${token}` } });
        if (res.statusCode !== 200 && attempt < 50) {
          panel.why.push(`snapshot ${res.statusCode} from ${String(res.headers['x-switchboard-instance'])}`);
          await res.body.text().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        const view = (await res.body.json()) as { roster: unknown; stream: { lastEventId: string } };
        assert.equal(res.statusCode, 200);
        panel.model = new RosterModel(view.roster);
        panel.lastEventId = view.stream.lastEventId;
        return;
      }
    };
    /** A gap or `reset`: reload the snapshot, then stream from its position (what the browser does). */
    const reload = (abort: AbortController) => {
      panel.reloading += 1;
      load().then(() => {
        abort.abort();
        return connect();
      }).catch((err: unknown) => {
        panel.why.push(`reload failed: ${String(err)}`);
      }).finally(() => {
        panel.reloading -= 1;
      });
    };
    const connect = async (avoid = panel.avoid): Promise<string> => {
      for (;;) {
        const abort = new AbortController();
        const res = await request(`${cluster.front.url}${path}/stream`, { headers: { authorization: `Bearer ${token}`, ...(panel.lastEventId ? { 'last-event-id': panel.lastEventId } : {}) }, signal: abort.signal });
        const servedBy = String(res.headers['x-switchboard-instance']);
        if (res.statusCode !== 200 || servedBy === avoid) {
          abort.abort();
          await res.body.text().catch(() => undefined);
          continue;
        }
        panel.abort = abort;
        panel.served.push(servedBy);
        const parser = new SseParser();
        res.body.setEncoding('utf8');
        panel.ended = new Promise<void>((resolve) => {
          res.body.on('data', (chunk: string) => {
            for (const m of parser.push(chunk)) {
              if (m.event === 'reset') {
                panel.resets += 1;
                panel.why.push(`reset from ${servedBy} at ${panel.lastEventId}`);
                reload(abort);
                return;
              }
              if (m.event !== 'roster' || !panel.model) continue;
              const outcome = panel.model.apply(JSON.parse(m.data));
              if (outcome === 'gap') {
                panel.why.push(`gap from ${servedBy}: diff ${m.id} onto version ${panel.model.version}`);
                reload(abort);
                return;
              }
              if (m.id) panel.lastEventId = m.id;
            }
          });
          res.body.on('error', () => resolve());
          res.body.on('close', () => resolve());
          res.body.on('end', () => resolve());
        });
        return servedBy;
      }
    };
    const truthNames = async () => (await meetingPeople(meetingKey)).map((p) => `${p.displayName}:${p.isMuted}`).sort();
    const panelNames = () => [...(panel.model?.entries.values() ?? [])].filter((e) => !e.isBot).map((e) => `${e.displayName}:${e.isMuted}`).sort();
    let lastSeen = '';
    const agree = (what: string) => eventually(async () => {
      const [mine, truth] = [JSON.stringify(panelNames()), JSON.stringify(await truthNames())];
      lastSeen = `panel ${mine}, emulator ${truth}; served by ${panel.served.join(', ')}; ${panel.why.join('; ') || 'no reloads'}`;
      return mine === truth;
    }, `the panel's roster to match the emulator (${what})`, 30_000).catch((err: unknown) => {
      throw new Error(`${(err as Error).message} — last seen: ${lastSeen}`);
    });

    await load();
    // A stream served by an instance that does not keep the meeting's roster, so killing it leaves the meeting be.
    const ownerUrl = cluster.instances.find((i) => owner.startsWith(`instance-${i.index + 1}-`))!.url;
    panel.avoid = ownerUrl; // a reload's reconnect (a gap or `reset`) keeps away from the owner too
    await connect();
    for (const upn of [UPN.jonas, UPN.hana]) await arrive(meetingKey, upn);
    await agree('two people joined');

    // The instance serving the stream now (a reload may have moved it since the first connect: none is in flight, so
    // the last stream opened is the one open), and that stream's own end (a later reload replaces panel.ended).
    await eventually(() => panel.reloading === 0, 'no reload in flight');
    const first = panel.served.at(-1)!;
    const firstEnded = panel.ended;
    const serving = cluster.instances.find((i) => i.url === first)!;
    await serving.kill();
    await Promise.race([firstEnded, new Promise((_, reject) => setTimeout(() => reject(new Error(`the stream did not end when the instance serving it died (served by ${panel.served.join(', ')}; ${panel.why.join('; ') || 'no reloads'})`)), 15_000).unref())]);
    panel.avoid = undefined;
    // While the panel is away: someone joins, someone is muted, someone leaves.
    await arrive(meetingKey, UPN.priya);
    await emulator('POST', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people/${UPN.jonas}/mute`, { muted: true });
    await emulator('DELETE', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people/${UPN.hana}`);
    await eventually(async () => (await truthNames()).includes('Priya Raman:false'), 'Priya in the meeting');

    const second = await connect();
    assert.notEqual(second, first, 'the reconnect landed on another instance');
    await agree('after reconnecting to another instance');
    // A gap (a version the panel never got: e.g. the roster's owner moved under heavy load) reloads the snapshot, as the
    // browser does; it is listed in `why` but is not what this asserts.
    assert.equal(panel.resets, 0, `${panel.why.join('; ')}: the other instance resumes the first one's position by roster version, no reset`);
    await arrive(meetingKey, UPN.elif);
    await agree('a change after the reconnect');
    panel.abort?.abort();
  });
});
