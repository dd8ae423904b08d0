// The callRecords subscription against a tiny Graph and a simulated clock: created with a stored random clientState
// inside the 4,230-minute maximum, renewed at ≤ 75 % of its lifetime over several cycles, recreated on 404 and on
// subscriptionRemoved, reauthorized on reauthorizationRequired, resynced on missed, resumed after a restart; verified
// with GET on start and hourly, and recreated when Graph lost it (issue 12, item 8).
import assert from 'node:assert/strict';
import { createHttpTransport, type GraphClient, type HttpTransport } from '../../../comms/graph/index.js';
import {
  CallRecordSubscriptions,
  CALL_RECORDS_RESOURCE,
  DEFAULT_SUBSCRIPTION_MINUTES,
  MAX_CALL_RECORD_SUBSCRIPTION_MINUTES,
  RecordsError,
  RENEW_AT_FRACTION,
  SUBSCRIPTIONS_COLLECTION,
  type StoredSubscription,
} from '../../../comms/records/index.js';
import { openSqliteStore, type Store } from '../../../comms/store/index.js';
import { FakeClock } from '../calls/support/fake-clock.js';
import { TinyGraph } from '../meetings/support/tiny-graph.js';

const MIN = 60_000;
const NOTIFY = 'https://switchboard.contoso.com/api/notifications/call-records';
const LIFECYCLE = 'https://switchboard.contoso.com/api/notifications/lifecycle';
const LIFETIME_MS = DEFAULT_SUBSCRIPTION_MINUTES * MIN;

describe('comms/records callRecords subscription (tiny Graph, simulated clock)', () => {
  let fake: TinyGraph;
  let transport: HttpTransport;
  let graph: GraphClient;
  let store: Store;
  let clock: FakeClock;
  let resyncs: number;
  let created: number;
  let managers: CallRecordSubscriptions[];
  /** What the tiny Graph knows: subscription id → expirationDateTime. */
  let alive: Map<string, string>;

  const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

  function manager(overrides: Partial<ConstructorParameters<typeof CallRecordSubscriptions>[0]> = {}): CallRecordSubscriptions {
    const m = new CallRecordSubscriptions({
      graph,
      store,
      logger: silent,
      notificationUrl: NOTIFY,
      lifecycleNotificationUrl: LIFECYCLE,
      now: clock.now,
      timers: clock,
      onResync: async () => {
        resyncs += 1;
      },
      ...overrides,
    });
    managers.push(m);
    return m;
  }

  function routes(): void {
    fake.on('POST', /^\/subscriptions$/, (req) => {
      created += 1;
      alive.set(`sub-${created}`, req.body.expirationDateTime);
      return { status: 201, body: { '@odata.context': 'x', id: `sub-${created}`, ...req.body } };
    });
    fake.on('PATCH', /^\/subscriptions\/([^/]+)$/, (req, m) => {
      alive.set(m[1]!, req.body.expirationDateTime);
      return { status: 200, body: { id: m[1], resource: CALL_RECORDS_RESOURCE, expirationDateTime: req.body.expirationDateTime } };
    });
    fake.on('GET', /^\/subscriptions\/([^/]+)$/, (_req, m) =>
      alive.has(m[1]!)
        ? { status: 200, body: { id: m[1], resource: CALL_RECORDS_RESOURCE, expirationDateTime: alive.get(m[1]!) } }
        : { status: 404, body: { error: { code: 'ResourceNotFound', message: `The subscription '${m[1]}' was not found.` } } },
    );
    fake.on('POST', /^\/subscriptions\/([^/]+)\/reauthorize$/, () => ({ status: 204 }));
  }

  before(async () => {
    fake = await TinyGraph.start();
    transport = createHttpTransport();
    graph = fake.client(transport);
  });
  after(async () => {
    await transport.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    routes();
    store = openSqliteStore(':memory:');
    clock = new FakeClock();
    resyncs = 0;
    created = 0;
    managers = [];
    alive = new Map();
  });
  afterEach(async () => {
    for (const m of managers) m.stop();
    await store.close();
  });

  it('creates the subscription as documented, with a random clientState kept in the store', async () => {
    const subs = manager();
    await subs.start();
    const [req] = fake.find('POST', '/subscriptions');
    assert.ok(req);
    assert.equal(req.body.changeType, 'created');
    assert.equal(req.body.resource, '/communications/callRecords');
    assert.equal(req.body.notificationUrl, NOTIFY);
    assert.equal(req.body.lifecycleNotificationUrl, LIFECYCLE);
    assert.ok(typeof req.body.clientState === 'string' && req.body.clientState.length >= 32 && req.body.clientState.length <= 128);
    const lifetime = Date.parse(req.body.expirationDateTime) - clock.now();
    assert.ok(lifetime > 0 && lifetime <= MAX_CALL_RECORD_SUBSCRIPTION_MINUTES * MIN, 'within the 4,230-minute maximum');
    const stored = await store.get<StoredSubscription>(SUBSCRIPTIONS_COLLECTION, 'callRecords');
    assert.equal(stored?.id, 'sub-1');
    assert.equal(stored?.clientState, req.body.clientState);
    assert.equal(subs.verify('sub-1', req.body.clientState), true);
    assert.equal(subs.verify('sub-1', 'guess'), false);
    assert.equal(subs.verify('sub-1', undefined), false);
    assert.equal(subs.verify('sub-other', req.body.clientState), false);

    const other = manager();
    await other.start();
    const second = (await store.get<StoredSubscription>(SUBSCRIPTIONS_COLLECTION, 'callRecords'))!;
    assert.equal(created, 1, 'a restart reuses the stored subscription');
    assert.equal(second.clientState, req.body.clientState);
  });

  it('in a cluster, one instance (the lease holder) creates and renews; when it dies another takes the lease and renews on time', async () => {
    const a = manager({ instanceId: 'instance-a' });
    const b = manager({ instanceId: 'instance-b' });
    await a.start();
    await b.start();
    assert.equal(created, 1, 'only the holder creates');
    assert.equal(b.subscription?.id, 'sub-1', 'the other reads what the holder stored');
    assert.match(b.health().detail, /kept alive by another instance/);
    // Both alive through a renewal: renewed once, not once per instance.
    await clock.advance(LIFETIME_MS * 0.75);
    assert.equal(fake.find('PATCH', '/subscriptions/sub-1').length, 1);
    // The holder dies (no more ticks, its lease runs out after a minute): the next renewal is the other's.
    a.stop();
    await clock.advance(2 * MIN);
    assert.match(b.health().detail, /^ok: callRecords until /);
    assert.doesNotMatch(b.health().detail, /another instance/, 'b holds the lease now');
    const renewAt = Date.parse((await store.get<StoredSubscription>(SUBSCRIPTIONS_COLLECTION, 'callRecords'))!.renewAt);
    await clock.advance(renewAt - clock.now() + MIN);
    assert.equal(fake.find('PATCH', '/subscriptions/sub-1').length, 2, 'renewed by the surviving instance, on time');
    assert.equal(created, 1, 'never created twice');
  });

  it('renews at 75 % of the lifetime, cycle after cycle (≥ 3 renewals)', async () => {
    const subs = manager();
    await subs.start();
    let last = clock.now();
    for (let cycle = 1; cycle <= 4; cycle += 1) {
      await clock.advance(LIFETIME_MS * 0.75 - MIN);
      assert.equal(fake.find('PATCH', /\/subscriptions\//).length, cycle - 1, `not renewed early (cycle ${cycle})`);
      await clock.advance(MIN);
      const patches = fake.find('PATCH', '/subscriptions/sub-1');
      assert.equal(patches.length, cycle, `renewed in cycle ${cycle}`);
      const requested = Date.parse(patches.at(-1)!.body.expirationDateTime);
      assert.ok(requested - clock.now() <= MAX_CALL_RECORD_SUBSCRIPTION_MINUTES * MIN);
      assert.ok(clock.now() - last <= LIFETIME_MS * 0.75, 'renewed no later than 75 % in');
      last = clock.now();
    }
    assert.equal(subs.subscription?.renewals, 4);
    assert.equal(created, 1);
  });

  it('recreates the subscription when a renewal answers 404, and resyncs', async () => {
    const subs = manager();
    await subs.start();
    const firstSecret = subs.subscription!.clientState;
    fake.on('PATCH', /^\/subscriptions\/sub-1$/, () => ({ status: 404, body: { error: { code: 'ResourceNotFound', message: 'gone' } } }));
    await clock.advance(LIFETIME_MS * 0.75);
    assert.equal(created, 2);
    assert.equal(subs.subscription?.id, 'sub-2');
    assert.notEqual(subs.subscription?.clientState, firstSecret);
    assert.equal(resyncs, 1);
    assert.equal(subs.verify('sub-1', firstSecret), true, 'the old secret is honoured briefly');
    await clock.advance(11 * MIN);
    assert.equal(subs.verify('sub-1', firstSecret), false, '…then no more');
  });

  it('handles lifecycle events: reauthorize, recreate on removal, resync on missed', async () => {
    const subs = manager();
    await subs.start();
    await subs.handleLifecycle('reauthorizationRequired');
    assert.equal(fake.find('POST', '/subscriptions/sub-1/reauthorize').length, 1);
    await subs.handleLifecycle('missed');
    assert.equal(resyncs, 1);
    assert.equal(created, 1);
    await subs.handleLifecycle('subscriptionRemoved');
    assert.equal(created, 2);
    assert.equal(resyncs, 2);
    fake.on('POST', /^\/subscriptions\/sub-2\/reauthorize$/, () => ({ status: 404, body: { error: { code: 'ResourceNotFound', message: 'gone' } } }));
    await subs.handleLifecycle('reauthorizationRequired');
    assert.equal(subs.subscription?.id, 'sub-3', 'an unknown subscription is recreated');
    fake.on('POST', /^\/subscriptions\/sub-3\/reauthorize$/, () => ({ status: 403, body: { error: { code: 'Forbidden', message: 'no' } } }));
    await subs.handleLifecycle('reauthorizationRequired');
    assert.equal(fake.find('PATCH', '/subscriptions/sub-3').length, 1, 'a failed reauthorize falls back to renewing');
  });

  it('keeps trying to create when Graph refuses at first', async () => {
    fake.on('POST', /^\/subscriptions$/, () => ({ status: 400, body: { error: { code: 'InvalidRequest', message: 'Subscription validation request failed.' } } }), 2);
    const subs = manager({ retryDelayMs: 5 * MIN });
    const current = () => subs.subscription?.id;
    assert.deepEqual(subs.health(), { ok: true, detail: 'not started yet' });
    await subs.start();
    assert.equal(current(), undefined);
    const since = new Date(clock.now()).toISOString();
    // /readyz names the failure by Graph's code (not its message), since when, and that it is retried.
    assert.deepEqual(subs.health(), { ok: false, detail: `failing: graph/bad-request since ${since}; retrying` });
    await clock.advance(5 * MIN);
    assert.equal(current(), undefined);
    assert.equal(subs.health().detail, `failing: graph/bad-request since ${since}; retrying`, 'the first failure, not the latest');
    await clock.advance(5 * MIN);
    assert.equal(current(), 'sub-1');
    assert.equal(fake.find('POST', '/subscriptions').length, 3);
    assert.deepEqual(subs.health(), { ok: true, detail: `ok: callRecords until ${subs.subscription!.expiresAt}` });
  });

  it('tells /readyz when the subscription expired because every renewal failed', async () => {
    const subs = manager({ retryDelayMs: 5 * MIN });
    await subs.start();
    fake.on('PATCH', /^\/subscriptions\/([^/]+)$/, () => ({ status: 400, body: { error: { code: 'BadRequest', message: 'no' } } }), 10_000);
    fake.on('GET', /^\/subscriptions\/([^/]+)$/, () => ({ status: 400, body: { error: { code: 'BadRequest', message: 'no' } } }), 10_000);
    fake.on('POST', /^\/subscriptions$/, () => ({ status: 400, body: { error: { code: 'BadRequest', message: 'no' } } }), 10_000);
    const expiresAt = subs.subscription!.expiresAt;
    await clock.advance(LIFETIME_MS * 0.8);
    assert.match(subs.health().detail, new RegExp(`^ok: callRecords until ${expiresAt} \\(last attempt failed: graph/\\S+ since`));
    assert.equal(subs.health().ok, true);
    await clock.advance(LIFETIME_MS * 0.25);
    assert.equal(subs.health().ok, false);
    assert.match(subs.health().detail, new RegExp(`^expired at ${expiresAt}`));
    subs.stop();
  });

  it('replaces a stored subscription that expired while the app was down', async () => {
    const subs = manager();
    await subs.start();
    subs.stop();
    await clock.advance(LIFETIME_MS + MIN);
    const later = manager();
    await later.start();
    assert.equal(created, 2);
    assert.equal(later.subscription?.id, 'sub-2');
  });

  it('renews at once after a restart past the renewal time', async () => {
    const subs = manager();
    await subs.start();
    subs.stop();
    await clock.advance(LIFETIME_MS * 0.8);
    const later = manager();
    await later.start();
    assert.equal(fake.find('PATCH', '/subscriptions/sub-1').length, 1);
    assert.equal(created, 1);
  });

  it('on start, verifies the stored subscription (GET) and keeps it when Graph still has it', async () => {
    const subs = manager();
    await subs.start();
    subs.stop();
    await clock.advance(10 * MIN);
    const later = manager();
    await later.start();
    assert.equal(fake.find('GET', '/subscriptions/sub-1').length, 1, 'asked Graph on start');
    assert.equal(created, 1);
    assert.equal(later.subscription?.id, 'sub-1');
  });

  it('on start, recreates a stored subscription that Graph lost (GET 404), resyncs, and honours the old secret briefly', async () => {
    const subs = manager();
    await subs.start();
    const oldSecret = subs.subscription!.clientState;
    subs.stop();
    alive.clear(); // e.g. the embedded emulator restarted with fresh state, or Graph dropped it
    const later = manager();
    await later.start();
    assert.equal(created, 2);
    assert.equal(later.subscription?.id, 'sub-2');
    assert.notEqual(later.subscription?.clientState, oldSecret);
    assert.equal((await store.get<StoredSubscription>(SUBSCRIPTIONS_COLLECTION, 'callRecords'))?.id, 'sub-2', 'stored');
    assert.equal(resyncs, 1, 'records missed while it was gone are looked for');
    assert.equal(later.verify('sub-1', oldSecret), true);
  });

  it('checks every hour between renewals and recreates a subscription Graph lost while running', async () => {
    const subs = manager();
    await subs.start();
    await clock.advance(3 * 60 * MIN);
    assert.equal(fake.find('GET', '/subscriptions/sub-1').length, 3, 'one GET an hour');
    assert.equal(created, 1);
    alive.delete('sub-1');
    await clock.advance(59 * MIN);
    assert.equal(created, 1, 'not before the next check');
    await clock.advance(MIN);
    assert.equal(created, 2);
    assert.equal(subs.subscription?.id, 'sub-2');
    assert.equal(resyncs, 1);
    // …and the new one is checked and renewed as usual.
    await clock.advance(LIFETIME_MS * 0.75);
    assert.equal(fake.find('PATCH', '/subscriptions/sub-2').length, 1);
    assert.equal(created, 2);
  });

  it('keeps the stored subscription when it cannot be verified (Graph refuses or is unreachable), and asks again later', async () => {
    const subs = manager({ retryDelayMs: 5 * MIN });
    await subs.start();
    subs.stop();
    fake.on('GET', /^\/subscriptions\/sub-1$/, () => ({ status: 403, body: { error: { code: 'Forbidden', message: 'not now' } } }), 1);
    const later = manager({ retryDelayMs: 5 * MIN });
    await later.start();
    assert.equal(created, 1, 'an unknown answer is not a lost subscription');
    assert.equal(later.subscription?.id, 'sub-1');
    alive.clear();
    await clock.advance(5 * MIN);
    assert.equal(fake.find('GET', '/subscriptions/sub-1').length, 2, 'asked again after the retry delay');
    assert.equal(created, 2, 'and recreated once Graph says it is gone');
  });

  it("moves the renewal forward when Graph reports an earlier expiration than the stored one", async () => {
    const subs = manager();
    await subs.start();
    alive.set('sub-1', new Date(clock.now() + 100 * MIN).toISOString());
    await clock.advance(60 * MIN);
    const renewAt = Date.parse(subs.subscription!.renewAt);
    assert.ok(renewAt <= clock.now() + 40 * MIN * RENEW_AT_FRACTION + 1, 'renewal at 75 % of what is left');
    await clock.advance(31 * MIN);
    assert.equal(fake.find('PATCH', '/subscriptions/sub-1').length, 1, 'renewed before Graph lets it expire');
    assert.equal(created, 1);
  });

  it('recheck() verifies on demand', async () => {
    const subs = manager();
    await subs.start();
    alive.clear();
    await subs.recheck();
    assert.equal(subs.subscription?.id, 'sub-2');
  });

  it('refuses notification URLs Graph must not be pointed at', () => {
    for (const url of ['http://switchboard.contoso.com/x', 'ftp://x/y', 'not a url', 'https://user:pw@x.example/y', 'https://x.example/y#frag']) {
      assert.throws(() => manager({ notificationUrl: url }), (err: unknown) => err instanceof RecordsError && err.code === 'records/invalid-argument', url);
    }
    assert.doesNotThrow(() => manager({ notificationUrl: 'http://127.0.0.1:3978/api/notifications' }));
  });
});
