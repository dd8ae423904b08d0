// MeetingCallEventSubscriptions against a tiny Graph, with its clock and durable timers in the test's hands: a meeting
// the app meets is subscribed once on beta (even when two instances sharing a store meet it at once), app-only, with
// the twice-encoded joinWebUrl and resource data under the app's certificate; renewed (PATCH) at 75 % of its
// lifetime, made again when Graph lost it (404) or holds one the store forgot (409: listed, deleted, made again); and
// let go (deleted) once the meeting has not been met for KEEP_DAYS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpTransport, GraphClient, type HttpTransport } from '../../../comms/graph/index.js';
import { CALL_EVENT_SUBSCRIPTIONS_COLLECTION, MEETING_EVENTS, MeetingCallEventSubscriptions, meetingCallEventsResource, type StoredCallEventSubscription } from '../../../comms/meetings/index.js';
import { CertificateKeyring, loadOrCreateNotificationCertificate, type NotificationCertificate } from '../../../comms/presence/index.js';
import { EmbeddedScheduler } from '../../../comms/runtime/index.js';
import { EventBus, openSqliteStore, type Store } from '../../../comms/store/index.js';
import { FakeClock, settle } from '../calls/support/fake-clock.js';
import { TinyGraph } from './support/tiny-graph.js';

const THREAD = '19:meeting_NDRiZjRiMmUtODI5OC00MzRlLTk1ZWEtMGY1MDAwMDAwMDAw@thread.v2';
const LINK = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22550fae72-d251-43ec-868c-373732c2704f%22%7d`;
const MINUTE = 60_000;

describe('comms/meetings MeetingCallEventSubscriptions (tiny Graph, test clock)', function () {
  this.timeout(20_000);
  let dir: string;
  let certificate: NotificationCertificate;
  let fake: TinyGraph;
  let transport: HttpTransport;
  let store: Store;
  let clock: FakeClock;
  let instances: Array<{ subs: MeetingCallEventSubscriptions; scheduler: EmbeddedScheduler; bus: EventBus }>;
  let created: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'call-event-subs-'));
    certificate = await loadOrCreateNotificationCertificate(dir);
    fake = await TinyGraph.start();
    transport = createHttpTransport();
  });
  after(async () => {
    await transport.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const instance = async () => {
    const log = () => undefined;
    const scheduler = new EmbeddedScheduler({ timers: clock, now: clock.now });
    const bus = new EventBus();
    const subs = new MeetingCallEventSubscriptions({
      betaGraph: new GraphClient({ baseUrl: `${fake.url}/beta`, tokens: { getToken: async () => 'app-token' }, transport, sleep: async () => undefined }),
      store,
      bus,
      scheduler,
      logger: { debug: log, info: log, warn: log, error: log },
      notificationUrl: 'https://switchboard.contoso.com/api/notifications/meeting-call-events',
      certificates: async () => new CertificateKeyring(certificate),
      verifier: { verifyAll: async () => undefined },
      meetings: { applyCallEvent: async () => undefined },
      now: clock.now,
    });
    await scheduler.start();
    await subs.start();
    const one = { subs, scheduler, bus };
    instances.push(one);
    return one;
  };
  const posts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/beta/subscriptions');
  const stored = () => store.get<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, THREAD);

  beforeEach(() => {
    fake.reset();
    store = openSqliteStore(':memory:');
    clock = new FakeClock(Date.parse('2026-12-03T09:00:00Z'));
    instances = [];
    created = 0;
    fake.on('POST', /^\/beta\/subscriptions$/, (req) => {
      created += 1;
      return { status: 201, body: { id: `sub-${created}`, resource: req.body.resource, expirationDateTime: req.body.expirationDateTime } };
    });
    fake.on('PATCH', /^\/beta\/subscriptions\/([^/]+)$/, (req, m) => ({ status: 200, body: { id: m[1], expirationDateTime: req.body.expirationDateTime } }));
    fake.on('DELETE', /^\/beta\/subscriptions\/([^/]+)$/, () => ({ status: 204 }));
  });
  afterEach(async () => {
    for (const i of instances) {
      i.subs.stop();
      await i.scheduler.stop();
    }
    await store.close();
  });

  it('two instances meeting the meeting at once make one subscription: app-only, beta, rich, twice-encoded link', async () => {
    const a = await instance();
    const b = await instance();
    a.bus.publish({ type: MEETING_EVENTS.seen, meetingKey: THREAD, joinWebUrl: LINK });
    b.bus.publish({ type: MEETING_EVENTS.seen, meetingKey: THREAD, joinWebUrl: LINK });
    await settle(40);
    assert.equal(posts().length, 1, 'one POST for the cluster');
    const body = posts()[0]!.body;
    assert.equal(posts()[0]!.headers.authorization, 'Bearer app-token', 'the app\'s own token');
    assert.equal(body.resource, meetingCallEventsResource(LINK));
    assert.match(body.resource, /joinWebUrl='https%3A%2F%2Fteams\.microsoft\.com%2Fl%2Fmeetup-join%2F19%253ameeting_/, 'the link encoded once more');
    assert.equal(body.changeType, 'updated');
    assert.equal(body.includeResourceData, true);
    assert.equal(body.encryptionCertificate, certificate.base64);
    assert.equal(body.encryptionCertificateId, certificate.id);
    assert.equal(Date.parse(body.expirationDateTime) - clock.now(), 4_300 * MINUTE, 'under Graph\'s 3 days');
    assert.ok(body.clientState.length >= 32);
    const s = (await stored())!;
    assert.equal(s.id, 'sub-1');
    assert.equal(s.clientState, body.clientState);
    // Met again later: nothing new.
    a.bus.publish({ type: MEETING_EVENTS.seen, meetingKey: THREAD, joinWebUrl: LINK });
    await settle(20);
    assert.equal(posts().length, 1);
  });

  it('renews at 75 % of its lifetime, and makes it again when Graph lost it', async () => {
    const a = await instance();
    await a.subs.watch(THREAD, LINK);
    await clock.advance(4_300 * MINUTE * 0.75 + MINUTE);
    const patches = fake.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1, 'one renewal');
    assert.equal(patches[0]!.path, '/beta/subscriptions/sub-1');
    assert.ok(Date.parse((await stored())!.expiresAt!) > clock.now() + 4_000 * MINUTE);
    fake.on('PATCH', /^\/beta\/subscriptions\/([^/]+)$/, () => ({ status: 404, body: { error: { code: 'ResourceNotFound', message: 'gone' } } }), 1);
    await clock.advance(4_300 * MINUTE * 0.75 + MINUTE);
    assert.equal(posts().length, 2, 'made again after the 404');
    assert.equal((await stored())!.id, 'sub-2');
  });

  it('a 409 (Graph holds one the store forgot) is listed, deleted and made again', async () => {
    fake.on('POST', /^\/beta\/subscriptions$/, () => ({ status: 409, body: { error: { code: 'ExtensionError', message: 'already exists' } } }), 1);
    fake.on('GET', /^\/beta\/subscriptions$/, () => ({ status: 200, body: { value: [{ id: 'lost-1', resource: meetingCallEventsResource(LINK) }, { id: 'other', resource: 'communications/callRecords' }] } }));
    const a = await instance();
    await a.subs.watch(THREAD, LINK);
    assert.deepEqual(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path), ['/beta/subscriptions/lost-1']);
    assert.equal((await stored())!.id, 'sub-1');
  });

  it('a meeting not met again for 14 days is let go when the 14 days are up: its subscription deleted, nothing renewed after', async () => {
    const a = await instance();
    await a.subs.watch(THREAD, LINK);
    await clock.advance(10 * 24 * 60 * MINUTE);
    assert.ok((await stored())?.id, 'still followed (renewed) after 10 days');
    await clock.advance(4 * 24 * 60 * MINUTE + MINUTE);
    assert.ok(fake.requests.some((r) => r.method === 'DELETE' && /\/beta\/subscriptions\/sub-\d+$/.test(r.path)), 'deleted');
    assert.equal(await stored(), undefined);
    const before = fake.requests.length;
    await clock.advance(5 * 24 * 60 * MINUTE);
    assert.equal(fake.requests.length, before, 'nothing more');
  });
});
