// PresenceSubscriptions against a tiny Graph, with its clock and timers in the test's hands: a signed-in viewer's
// subscription is created on their behalf (their assertion through on-behalf-of, Presence.Read.All) with resource
// data under the app's certificate; renewed (PATCH) at 75 % of its lifetime with the viewer's latest token, re-created
// when Graph lost it (404); replaced (DELETE, then POST) when they look at someone new; and a refusal leaves polling
// in charge, retried only after a pause.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpTransport, type HttpTransport, type OnBehalfOf } from '../../../comms/graph/index.js';
import {
  CertificateKeyring,
  loadOrCreateNotificationCertificate,
  PRESENCE_SCOPE,
  PresenceSubscriptions,
  type NotificationCertificate,
  type StoredPresenceSubscription,
} from '../../../comms/presence/index.js';
import type { Timers } from '../../../comms/runtime/index.js';
import { EventBus, openSqliteStore, type Store } from '../../../comms/store/index.js';
import { TinyGraph } from '../meetings/support/tiny-graph.js';

const JONAS = 'fa8bf3dc-eca7-46b7-bad1-db199b62afc3';
const PRIYA = '66825e03-7ef5-42da-9069-724602c31f6b';
const VIEWER = { userId: '457e9865-5f97-4d7f-b6f4-02eb8be04c66', tenantId: '6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90' };
const T0 = Date.parse('2026-12-02T09:00:00Z');

describe('comms/presence PresenceSubscriptions (tiny Graph, test clock)', function () {
  this.timeout(20_000);
  let dir: string;
  let certificate: NotificationCertificate;
  let fake: TinyGraph;
  let transport: HttpTransport;
  let store: Store;
  let now: number;
  let timers: Array<{ fn: () => void; ms: number; cleared: boolean }>;
  let assertions: string[];
  let warnings: string[];
  let subs: PresenceSubscriptions;
  let created: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'presence-subs-'));
    certificate = await loadOrCreateNotificationCertificate(dir);
    fake = await TinyGraph.start();
    transport = createHttpTransport();
  });
  after(async () => {
    await transport.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    fake.reset();
    store = openSqliteStore(':memory:');
    now = T0;
    timers = [];
    assertions = [];
    warnings = [];
    created = 0;
    const testTimers: Timers = {
      setTimeout: (fn, ms) => {
        const t = { fn, ms, cleared: false };
        timers.push(t);
        return t as never;
      },
      clearTimeout: (handle) => void ((handle as unknown as { cleared: boolean }).cleared = true),
    };
    const obo: OnBehalfOf = {
      tokenFor: async (assertion, scopes) => {
        assertions.push(assertion);
        assert.deepEqual(scopes, [PRESENCE_SCOPE]);
        return `graph-token-for-${assertion}`;
      },
    };
    const log = () => undefined;
    subs = new PresenceSubscriptions({
      graphBaseUrl: fake.baseUrl, transport, onBehalfOf: obo, store, bus: new EventBus(),
      logger: { debug: log, info: log, error: log, warn: (o, msg) => void warnings.push(`${msg ?? ''} ${JSON.stringify(o)}`) },
      notificationUrl: 'https://switchboard.example/api/notifications/presence',
      certificates: async () => new CertificateKeyring(certificate),
      verifier: { verifyAll: async () => undefined },
      now: () => now, timers: testTimers, retryMs: 60_000,
    });
    fake.on('POST', /^\/subscriptions$/, (req) => ({ status: 201, body: { id: `sub-${++created}`, expirationDateTime: req.body.expirationDateTime, resource: req.body.resource } }));
  });
  afterEach(async () => {
    subs.stop();
    await store.close();
  });

  const posts = () => fake.find('POST', '/subscriptions');
  const live = () => timers.filter((t) => !t.cleared);
  const fire = async (t: { fn: () => void; cleared: boolean }) => {
    t.cleared = true; // a timer that ran is spent
    t.fn();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };

  it('subscribes on the viewer\'s behalf with resource data under the app\'s certificate, once for the same people', async () => {
    await subs.watch(VIEWER, 'sso-1', [JONAS, PRIYA, 'not-a-guid']);
    const [post] = posts();
    assert.ok(post);
    assert.equal(post.headers.authorization, 'Bearer graph-token-for-sso-1');
    assert.equal(post.body.changeType, 'updated');
    assert.equal(post.body.resource, `/communications/presences?$filter=id in ('${JONAS}','${PRIYA}')`);
    assert.equal(post.body.includeResourceData, true);
    assert.equal(post.body.encryptionCertificate, certificate.base64);
    assert.equal(post.body.encryptionCertificateId, certificate.id);
    assert.ok(typeof post.body.clientState === 'string' && post.body.clientState.length >= 32);
    const lifetime = Date.parse(post.body.expirationDateTime) - T0;
    assert.ok(lifetime <= 60 * 60_000 && lifetime >= 45 * 60_000, 'within Graph\'s 45–60 minutes');
    const stored = await store.get<StoredPresenceSubscription>('presenceSubscriptions', 'sub-1');
    assert.equal(stored?.clientState, post.body.clientState, warnings.join('; '));
    assert.equal(stored?.watcherId, VIEWER.userId);
    assert.ok(subs.isLive(VIEWER.userId));

    await subs.watch(VIEWER, 'sso-2', [PRIYA]);
    assert.equal(posts().length, 1, 'already covered: nothing new');
  });

  it('renews at 75 % of the lifetime with the viewer\'s latest token, before the expiry', async () => {
    await subs.watch(VIEWER, 'sso-1', [JONAS]);
    assert.equal(posts()[0]!.body.resource, `/communications/presences/${JONAS}`);
    const [timer] = live();
    assert.ok(timer);
    const lifetime = Date.parse(posts()[0]!.body.expirationDateTime) - T0;
    assert.equal(timer.ms, lifetime * 0.75);
    await subs.watch(VIEWER, 'sso-2', [JONAS]); // the tab came back with a fresh token
    fake.on('PATCH', /^\/subscriptions\/sub-1$/, (req) => ({ status: 200, body: { id: 'sub-1', expirationDateTime: req.body.expirationDateTime } }));
    now = T0 + timer.ms;
    await fire(timer);
    const [patch] = fake.find('PATCH', '/subscriptions/sub-1');
    assert.ok(patch, 'renewed');
    assert.equal(patch.headers.authorization, 'Bearer graph-token-for-sso-2');
    assert.ok(Date.parse(patch.body.expirationDateTime) > Date.parse(posts()[0]!.body.expirationDateTime));
    assert.equal(live().length, 1, 'the next renewal is scheduled');
  });

  it('re-creates a subscription Graph lost (404 on renewal), and a failed renewal is logged and lapses', async () => {
    await subs.watch(VIEWER, 'sso-1', [JONAS]);
    fake.on('PATCH', /^\/subscriptions\/sub-1$/, () => ({ status: 404, body: { error: { code: 'ResourceNotFound', message: 'gone' } } }));
    now += live()[0]!.ms;
    await fire(live()[0]!);
    assert.equal(posts().length, 2, 'made again');
    assert.equal(await store.get('presenceSubscriptions', 'sub-1'), undefined);
    assert.ok(await store.get('presenceSubscriptions', 'sub-2'));

    fake.on('PATCH', /^\/subscriptions\/sub-2$/, () => ({ status: 400, body: { error: { code: 'InvalidAuthenticationToken', message: 'expired' } } }));
    now += live()[0]!.ms;
    await fire(live()[0]!);
    assert.ok(warnings.some((w) => /could not be renewed/.test(w)));
    now += 60 * 60_000;
    assert.equal(subs.isLive(VIEWER.userId), false, 'lapsed: presence is polled');
  });

  it('someone new on the roster: the old subscription is deleted first (one per user), the new one covers both', async () => {
    await subs.watch(VIEWER, 'sso-1', [JONAS]);
    fake.on('DELETE', /^\/subscriptions\/sub-1$/, () => ({ status: 204 }));
    await subs.watch(VIEWER, 'sso-1', [PRIYA]);
    assert.equal(fake.find('DELETE', '/subscriptions/sub-1').length, 1);
    const second = posts()[1]!;
    assert.match(second.body.resource, new RegExp(JONAS));
    assert.match(second.body.resource, new RegExp(PRIYA));
    assert.ok(fake.requests.findIndex((r) => r.method === 'DELETE') < fake.requests.lastIndexOf(second), 'delete before create');
  });

  it('a refused create (e.g. no consent) leaves polling in charge and is not retried until the pause has passed', async () => {
    fake.on('POST', /^\/subscriptions$/, () => ({ status: 403, body: { error: { code: 'ExtensionError', message: 'no' } } }));
    await subs.watch(VIEWER, 'sso-1', [JONAS]);
    assert.equal(subs.isLive(VIEWER.userId), false);
    assert.ok(warnings.some((w) => /polled/.test(w)));
    await subs.watch(VIEWER, 'sso-1', [JONAS]);
    assert.equal(posts().length, 1, 'not hammered');
    now += 61_000;
    await subs.watch(VIEWER, 'sso-1', [JONAS]);
    assert.equal(posts().length, 2, 'tried again after the pause');
  });
});
