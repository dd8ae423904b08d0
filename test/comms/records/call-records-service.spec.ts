// Call history end to end against a tiny Graph: change notifications checked for clientState (mismatches ignored,
// counted, still acknowledged), each record fetched once with every sessions page, summarized into the store and
// announced with record.ready; retries, next-link confinement, lifecycle events and resync.
import assert from 'node:assert/strict';
import { createHttpTransport, type HttpTransport } from '../../../comms/graph/index.js';
import {
  CALL_RECORDS_COLLECTION,
  CallRecordsService,
  RECORD_EVENTS,
  RecordsError,
  type CallRecordSummary,
} from '../../../comms/records/index.js';
import { EventBus, openSqliteStore, StoreError, type CommsEvent, type Store } from '../../../comms/store/index.js';
import { watchUnhandledRejections } from '../../support/unhandled-rejections.js';
import { FakeClock, settle } from '../calls/support/fake-clock.js';
import { TinyGraph, type TinyRequest } from '../meetings/support/tiny-graph.js';

const REC = '2f1a1100-b174-40a0-aba7-0b405e01ed92';
const REC2 = '0c2b9a5e-2b4b-4f25-9c5f-6a3e5f0f8a11';
const ALICE = { id: 'a1111111-0000-0000-0000-000000000001', displayName: 'Alice' };
const MIN = 60_000;

function session(id: string, jitter: string): Record<string, unknown> {
  return {
    id,
    modalities: ['audio'],
    caller: { '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', identity: { user: ALICE } },
    callee: { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint' },
    segments: [{ id: `${id}-seg`, media: [{ label: 'main-audio', streams: [{ streamId: id, streamDirection: 'callerToCallee', averageJitter: jitter, averagePacketLossRate: 0.01, averageRoundTripTime: 'PT0.1S' }] }] }],
  };
}

describe('comms/records call records service (tiny Graph)', () => {
  let fake: TinyGraph;
  let transport: HttpTransport;
  let store: Store;
  let bus: EventBus;
  let events: CommsEvent[];
  let clock: FakeClock;
  let service: CallRecordsService;
  let services: CallRecordsService[];

  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

  function makeService(overrides: Partial<ConstructorParameters<typeof CallRecordsService>[0]> = {}): CallRecordsService {
    const s = new CallRecordsService({
      graph: fake.client(transport),
      store,
      bus,
      logger: silent,
      subscription: { notificationUrl: 'https://switchboard.contoso.com/api/notifications/call-records', lifecycleNotificationUrl: 'https://switchboard.contoso.com/api/notifications/lifecycle' },
      now: clock.now,
      timers: clock,
      retryDelayMs: MIN,
      ...overrides,
    });
    services.push(s);
    return s;
  }

  const secret = () => service.subscriptions!.subscription!.clientState;
  const note = (recordId: string, clientState = secret(), subscriptionId = 'sub-1') => ({
    subscriptionId,
    subscriptionExpirationDateTime: '2025-01-09T09:00:00Z',
    clientState,
    changeType: 'created',
    resource: `communications/callRecords/${recordId}`,
    resourceData: { '@odata.type': '#microsoft.graph.callrecord', '@odata.id': `communications/callrecords/${recordId}`, id: recordId },
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  });
  const recordGets = () => fake.requests.filter((r) => r.method === 'GET' && /\/communications\/callRecords\/[^/]+$/.test(r.path));

  async function drain(): Promise<void> {
    await settle();
    await service.idle();
    await settle();
  }

  function recordRoutes(): void {
    fake.on('GET', /^\/communications\/callRecords\/([^/]+)$/, (_req, m) => ({
      status: 200,
      body: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/callRecords(sessions(segments()))/$entity',
        id: m[1],
        version: 1,
        type: 'groupCall',
        modalities: ['audio'],
        startDateTime: '2025-01-06T08:00:00Z',
        endDateTime: '2025-01-06T08:30:00Z',
        organizer_v2: { id: ALICE.id, identity: { user: ALICE } },
        sessions: [session('s1', 'PT0.010S')],
        'sessions@odata.nextLink': `${fake.baseUrl}/communications/callRecords/${m[1]}/sessions?$expand=segments&$skiptoken=p2`,
      },
    }));
    fake.on('GET', /^\/communications\/callRecords\/([^/]+)\/sessions$/, (req: TinyRequest, m) =>
      req.query.get('$skiptoken') === 'p2'
        ? { status: 200, body: { value: [session('s2', 'PT0.020S')], '@odata.nextlink': `${fake.baseUrl}/communications/callRecords/${m[1]}/sessions?$skiptoken=p3` } }
        : { status: 200, body: { value: [session('s3', 'PT0.060S')] } },
    );
  }

  before(async () => {
    fake = await TinyGraph.start();
    transport = createHttpTransport();
  });
  after(async () => {
    await transport.close();
    await fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    let n = 0;
    fake.on('POST', /^\/subscriptions$/, (req) => ({ status: 201, body: { id: `sub-${++n}`, ...req.body } }));
    fake.on('POST', /^\/subscriptions\/([^/]+)\/reauthorize$/, () => ({ status: 204 }));
    // Graph still knows every subscription created here (checked with GET on start).
    fake.on('GET', /^\/subscriptions\/(sub-\d+)$/, (_req, m) => ({ status: 200, body: { id: m[1], resource: '/communications/callRecords' } }));
    recordRoutes();
    store = openSqliteStore(':memory:');
    bus = new EventBus();
    events = [];
    bus.subscribe((e) => events.push(e));
    clock = new FakeClock();
    services = [];
    service = makeService();
    await service.start();
  });
  afterEach(async () => {
    for (const s of services) s.stop();
    await store.close();
  });

  it('ignores (and counts) notifications with a wrong clientState or subscription, but acknowledges them', async () => {
    const result = await service.receiveChangeNotifications({ value: [note(REC, 'guessed'), { ...note(REC), clientState: undefined }, note(REC, secret(), 'sub-forged'), { nonsense: true }] });
    assert.deepEqual(result, { queued: 0, duplicates: 0, ignored: 4, lifecycle: 0 });
    assert.equal(service.stats.clientStateMismatches, 3);
    assert.equal(service.stats.invalidItems, 1);
    await drain();
    assert.equal(recordGets().length, 0, 'nothing fetched');
    await assert.rejects(service.receiveChangeNotifications({ nope: 1 }), (err: unknown) => err instanceof RecordsError && err.code === 'records/invalid-notification');
  });

  it('fetches each record once, follows both next-link spellings, stores the summary and publishes record.ready', async () => {
    const first = await service.receiveChangeNotifications({ value: [note(REC), note(REC)] });
    assert.deepEqual(first, { queued: 1, duplicates: 1, ignored: 0, lifecycle: 0 });
    await drain();
    const again = await service.receiveChangeNotifications({ value: [note(REC)] });
    assert.equal(again.duplicates, 1);
    await drain();
    assert.equal(recordGets().length, 1);
    assert.equal(recordGets()[0]!.query.get('$expand'), 'sessions($expand=segments)');
    assert.equal(fake.find('GET', `/communications/callRecords/${REC}/sessions`).length, 2);
    const summary = (await store.get<CallRecordSummary>(CALL_RECORDS_COLLECTION, REC))!;
    assert.equal(summary.sessionCount, 3);
    assert.equal(summary.durationSeconds, 1800);
    assert.equal(summary.organizer?.displayName, 'Alice');
    assert.equal(summary.quality[0]!.averageJitterMs, 30);
    assert.equal(summary.quality[0]!.worstStream?.streamId, 's3');
    assert.equal(summary.poorQuality, true);
    const ready = events.filter((e) => e.type === RECORD_EVENTS.ready);
    assert.equal(ready.length, 1);
    assert.equal(ready[0]!.recordId, REC);
    assert.equal(ready[0]!.poorQuality, true);
    assert.equal(ready[0]!.durationSeconds, 1800);
    assert.deepEqual((await service.listSummaries()).map((s) => s.id), [REC]);
  });

  it('tries again later when the record is not readable yet', async () => {
    fake.on('GET', /^\/communications\/callRecords\/([^/]+)$/, () => ({ status: 404, body: { error: { code: 'NotFound', message: 'not yet' } } }), 1);
    await service.receiveChangeNotifications({ value: [note(REC)] });
    await drain();
    assert.equal(await service.getSummary(REC), undefined);
    await clock.advance(MIN);
    await drain();
    assert.equal((await service.getSummary(REC))?.id, REC);
    assert.equal(recordGets().length, 2);
  });

  it('never follows a next link to another host, and gives up on that record', async () => {
    fake.on('GET', /^\/communications\/callRecords\/([^/]+)$/, (_req, m) => ({
      status: 200,
      body: { id: m[1], sessions: [], 'sessions@odata.nextLink': `https://evil.example/v1.0/communications/callRecords/${m[1]}/sessions?$skiptoken=x` },
    }));
    await service.receiveChangeNotifications({ value: [note(REC)] });
    await drain();
    assert.equal(await service.getSummary(REC), undefined);
    assert.equal(service.stats.failed, 1);
    assert.equal(fake.requests.filter((r) => r.path.includes('/sessions')).length, 0);
  });

  it('passes lifecycle events to the subscription and resyncs recent records on missed', async () => {
    fake.on('GET', /^\/communications\/callRecords$/, (req) => ({
      status: 200,
      body: { value: [{ id: REC }, { id: REC2 }], ...(req.query.get('$skiptoken') ? {} : {}) },
    }));
    await service.receiveChangeNotifications({ value: [note(REC)] });
    await drain();
    const lifecycle = (event: string) => ({ subscriptionId: 'sub-1', subscriptionExpirationDateTime: '2025-01-09T09:00:00Z', tenantId: 't', clientState: secret(), lifecycleEvent: event });
    const result = await service.receiveChangeNotifications({ value: [lifecycle('reauthorizationRequired'), lifecycle('missed'), { ...lifecycle('missed'), clientState: 'forged' }] });
    assert.deepEqual(result, { queued: 0, duplicates: 0, ignored: 1, lifecycle: 2 });
    await drain();
    await drain();
    assert.equal(fake.find('POST', '/subscriptions/sub-1/reauthorize').length, 1);
    const [list] = fake.find('GET', '/communications/callRecords');
    assert.ok(list);
    assert.match(list.query.get('$filter') ?? '', /^startDateTime ge \d{4}-\d\d-\d\dT/);
    assert.ok(await service.getSummary(REC2), 'the missed record was fetched');
    assert.equal(recordGets().filter((r) => r.path.endsWith(REC)).length, 1, 'the known one was not fetched again');
  });

  it('resumes queued fetches after a restart', async () => {
    const first = makeService({ defer: () => undefined });
    await first.start();
    const state = first.subscriptions!.subscription!.clientState;
    await first.receiveChangeNotifications({ value: [note(REC, state)] });
    first.stop();
    assert.equal(recordGets().length, 0);
    const second = makeService();
    await second.start();
    await settle();
    await second.idle();
    assert.equal((await second.getSummary(REC))?.id, REC);
  });

  it('processing it starts by itself logs a store that fails, and leaves no unhandled rejection', async () => {
    // start() finds a queued fetch and processes it soon; the store then fails to read it back.
    const failing = {
      list: () => Promise.resolve([{ key: REC, value: { id: REC, receivedAt: new Date(clock.now()).toISOString(), state: 'queued', attempts: 0 } }]),
      get: () => Promise.reject(new StoreError('store/unavailable', 'Connection is closed.')),
      delete: () => Promise.resolve(true),
    } as unknown as Store;
    const warnings: string[] = [];
    const s = makeService({ store: failing, subscription: undefined, logger: { ...silent, warn: (_obj: object, msg?: string) => void warnings.push(msg ?? '') } });
    const watch = watchUnhandledRejections();
    await s.start();
    assert.deepEqual(await watch.stop(), []);
    assert.ok(warnings.includes('processing queued call records failed'), 'the failure is logged');
  });
});
