// Change-notification subscriptions: Graph's validation rules, the validationToken handshake (only an exact text/plain
// echo creates the subscription), deliveries with clientState and retries, lifecycle notifications, renewal,
// reauthorization, deletion and expiry.

import { strict as assert } from 'node:assert';
import { AMARA, CALLS_APP, INITIATE_ONLY_APP, JONAS, MATEO, answeredIncomingCall, startCallsHarness, type CallsHarness } from './calls-harness.js';
import { startAppStandIn, type AppStandIn, type HandshakeMode } from './app-stand-in.js';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('emulator subscriptions', function () {
  let h: CallsHarness;
  let app: AppStandIn;
  before(async () => {
    h = await startCallsHarness({
      callRecordDelayMs: 10,
      subscriptionValidationTimeoutMs: 1_000,
      changeNotificationTimeoutMs: 2_000,
      changeNotificationRetryWindowMs: 5_000,
      rosterBatchMs: 10,
    });
    app = await startAppStandIn();
  });
  after(async () => {
    await h.close();
    await app.close();
  });
  afterEach(() => {
    app.handshake = 'echo';
    app.script.clear();
  });

  const subscribe = (body: Record<string, unknown> = {}, token?: string) => h.graph('POST', '/subscriptions', {
    changeType: 'created',
    notificationUrl: `${app.url}/notify?tenant=contoso`,
    lifecycleNotificationUrl: `${app.url}/lifecycle`,
    resource: '/communications/callRecords',
    expirationDateTime: inMinutes(60),
    clientState: 'secret-client-state',
    ...body,
  }, token);
  /** A call ends; resolves with its call record id. */
  const endACall = async (): Promise<string> => {
    const callId = await answeredIncomingCall(h, AMARA);
    const chainId = (await h.view(callId)).callChainId as string;
    await h.control('POST', `/calls/${callId}/hangup`, { person: AMARA.id });
    return chainId;
  };
  const deliveries = async (id: string) => ((await h.control('GET', '/subscriptions')).json.value.find((s: any) => s.id === id)?.deliveries ?? []) as any[];
  const waitForDelivery = async (id: string, predicate: (d: any) => boolean, what: string) => {
    const until = Date.now() + 8_000;
    for (;;) {
      const found = (await deliveries(id)).find(predicate);
      if (found) return found;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await deliveries(id))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const notificationsFor = (id: string, path = '/notify') => app.on(path).filter((r) => r.body?.value?.[0]?.subscriptionId === id);

  it('POST /subscriptions: validates both URLs (POST ?validationToken=, text/plain), then 201 with the subscription', async () => {
    const seen = app.validations.length;
    const reply = await subscribe();
    assert.equal(reply.status, 201);
    const s = reply.json;
    assert.equal(s['@odata.context'], `${h.emulator.graphUrl}/$metadata#subscriptions/$entity`);
    assert.equal(typeof s.id, 'string');
    assert.equal(s.resource, '/communications/callRecords');
    assert.equal(s.changeType, 'created');
    assert.equal(s.clientState, 'secret-client-state');
    assert.equal(s.notificationUrl, `${app.url}/notify?tenant=contoso`);
    assert.equal(s.lifecycleNotificationUrl, `${app.url}/lifecycle`);
    assert.equal(s.applicationId, h.emulator && (await h.control('GET', '/apps')).json.value[0].clientId);
    assert.equal(typeof s.creatorId, 'string');
    assert.equal(s.latestSupportedTlsVersion, 'v1_2');
    assert.equal(s.includeResourceData, false);
    const validations = app.validations.slice(seen);
    assert.deepEqual(validations.map((v) => v.path), ['/notify', '/lifecycle']);
    const v = validations[0]!;
    assert.equal(v.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(v.query.get('tenant'), 'contoso', 'the notificationUrl\'s own query is kept');
    const token = v.query.get('validationToken')!;
    assert.match(token, / /);
    assert.match(token, /\+/);
    const listed = await h.graph('GET', '/subscriptions');
    assert.ok(listed.json.value.some((x: any) => x.id === s.id));
    assert.equal((await h.graph('GET', `/subscriptions/${s.id}`)).json.id, s.id);
    await h.graph('DELETE', `/subscriptions/${s.id}`);
  });

  it('the handshake fails unless the answer is 200 text/plain with the decoded token: 400 and no subscription', async () => {
    const cases: Array<[HandshakeMode, RegExp]> = [
      ['wrong', /Response must exactly match validationToken query parameter/],
      ['encoded', /Response must exactly match validationToken query parameter/],
      ['json', /Response must exactly match validationToken query parameter/],
      ['status-500', /must respond with 200 OK to validation request/],
      ['slow', /Subscription validation request timeout/],
    ];
    for (const [mode, message] of cases) {
      app.handshake = mode;
      const before = (await h.graph('GET', '/subscriptions')).json.value.length;
      const reply = await subscribe();
      assert.equal(reply.status, 400, mode);
      assert.equal(reply.json.error.code, 'InvalidRequest', mode);
      assert.match(reply.json.error.message, message, mode);
      assert.equal((await h.graph('GET', '/subscriptions')).json.value.length, before, `${mode}: no subscription`);
    }
  });

  it('validation rules: URL scheme, expiration limits, clientState length, changeType, resource, permissions', async () => {
    const cases: Array<[string, Record<string, unknown>, number, string, RegExp?]> = [
      ['http off loopback', { notificationUrl: 'http://example.com/notify' }, 400, 'InvalidRequest'],
      ['past the callRecord maximum', { expirationDateTime: inMinutes(4231) }, 400, 'ExtensionError', /^Subscription expiration can only be 4230 minutes in the future\.$/],
      ['clientState over 128', { clientState: 'x'.repeat(129) }, 400, 'BadRequest'],
      ['changeType deleted', { changeType: 'created,deleted' }, 400, 'InvalidRequest'],
      ['unknown resource', { resource: '/me/messages' }, 400, 'InvalidRequest'],
      // Presence (delegated only) has its own rules: subscriptions-presence.spec.ts.
      ['presence with an app-only token', { resource: `/communications/presences/${JONAS.id}`, changeType: 'updated', expirationDateTime: inMinutes(30) }, 403, 'ExtensionError', /not authorized for this user or application/],
      ['includeResourceData', { includeResourceData: true }, 400, 'InvalidRequest'],
    ];
    for (const [name, body, status, code, message] of cases) {
      const reply = await subscribe(body);
      assert.equal(reply.status, status, name);
      assert.equal(reply.json.error.code, code, name);
      if (message) assert.match(reply.json.error.message, message, name);
    }
    for (const minutes of [-5, 10]) {
      const before = Date.now();
      const short = await subscribe({ expirationDateTime: inMinutes(minutes) });
      assert.equal(short.status, 201, `${minutes} minutes`);
      const lifetime = Date.parse(short.json.expirationDateTime) - before;
      assert.ok(lifetime >= 45 * 60_000 && lifetime < 46 * 60_000, `${minutes} minutes is raised to 45`);
      await h.graph('DELETE', `/subscriptions/${short.json.id}`);
    }
    const longest = await subscribe({ expirationDateTime: inMinutes(4229) });
    assert.equal(longest.status, 201);
    await h.graph('DELETE', `/subscriptions/${longest.json.id}`);
    const token = await h.appToken(INITIATE_ONLY_APP.clientId, INITIATE_ONLY_APP.clientSecret);
    assert.equal((await subscribe({}, token)).status, 403);
  });

  it('delivers a created call record: { value: [{ subscriptionId, clientState, changeType, resource, resourceData, tenantId }] } to notificationUrl', async () => {
    const s = (await subscribe()).json;
    const recordId = await endACall();
    await app.waitFor(() => notificationsFor(s.id).some((r) => r.body.value[0].resourceData.id === recordId), 'the notification');
    const post = notificationsFor(s.id).find((r) => r.body.value[0].resourceData.id === recordId)!;
    assert.match(String(post.headers['content-type']), /^application\/json/);
    assert.equal(post.query.get('tenant'), 'contoso');
    const item = post.body.value[0];
    assert.equal(item.subscriptionId, s.id);
    assert.equal(item.subscriptionExpirationDateTime, s.expirationDateTime);
    assert.equal(item.clientState, 'secret-client-state');
    assert.equal(item.changeType, 'created');
    assert.equal(item.resource, `communications/callRecords/${recordId}`);
    assert.deepEqual(item.resourceData, { '@odata.type': '#Microsoft.Graph.callrecord', '@odata.id': `communications/callRecords/${recordId}`, id: recordId });
    assert.equal(item.tenantId, h.emulator.tenantId);
    await waitForDelivery(s.id, (d) => d.status === 'delivered', 'a delivered record');
    await h.graph('DELETE', `/subscriptions/${s.id}`);
  });

  it('retries a 5xx until the app takes it; a 4xx is not retried', async () => {
    const s = (await subscribe()).json;
    app.script.set('/notify', [500, 503]);
    await endACall();
    const retried = await waitForDelivery(s.id, (d) => d.status === 'delivered', 'delivered after retries');
    assert.equal(retried.attempts, 3);
    app.script.set('/notify', [400]);
    await endACall();
    const refused = await waitForDelivery(s.id, (d) => d.status === 'refused', 'refused');
    assert.equal(refused.attempts, 1);
    assert.equal(refused.httpStatus, 400);
    await h.graph('DELETE', `/subscriptions/${s.id}`);
  });

  it('lifecycle: reauthorizationRequired pauses deliveries until reauthorize (204); missed; subscriptionRemoved ends it', async () => {
    const s = (await subscribe()).json;
    const sent = await h.control('POST', `/subscriptions/${s.id}/lifecycle`, { event: 'reauthorizationRequired' });
    assert.equal(sent.status, 202);
    await app.waitFor(() => notificationsFor(s.id, '/lifecycle').length === 1, 'reauthorizationRequired');
    assert.deepEqual(notificationsFor(s.id, '/lifecycle')[0]!.body.value[0], {
      subscriptionId: s.id, subscriptionExpirationDateTime: s.expirationDateTime, tenantId: h.emulator.tenantId, clientState: 'secret-client-state', lifecycleEvent: 'reauthorizationRequired',
    });
    await endACall();
    await waitForDelivery(s.id, (d) => d.kind === 'change' && d.status === 'lost', 'a change lost while awaiting reauthorization');
    const reauthorized = await h.graph('POST', `/subscriptions/${s.id}/reauthorize`);
    assert.equal(reauthorized.status, 204);
    const recordId = await endACall();
    await app.waitFor(() => notificationsFor(s.id).some((r) => r.body.value[0].resourceData.id === recordId), 'delivery resumes');

    await h.control('POST', `/subscriptions/${s.id}/lifecycle`, { event: 'missed' });
    await app.waitFor(() => notificationsFor(s.id, '/lifecycle').some((r) => r.body.value[0].lifecycleEvent === 'missed'), 'missed');
    await h.control('POST', `/subscriptions/${s.id}/lifecycle`, { event: 'subscriptionRemoved' });
    await app.waitFor(() => notificationsFor(s.id, '/lifecycle').some((r) => r.body.value[0].lifecycleEvent === 'subscriptionRemoved'), 'subscriptionRemoved');
    assert.equal((await h.graph('GET', `/subscriptions/${s.id}`)).status, 404);
    const withoutUrl = (await subscribe({ lifecycleNotificationUrl: null })).json;
    assert.equal((await h.control('POST', `/subscriptions/${withoutUrl.id}/lifecycle`, { event: 'missed' })).json.error.code, 'emulator/no-lifecycle-url');
    await h.graph('DELETE', `/subscriptions/${withoutUrl.id}`);
  });

  it('PATCH renews (200) within the resource\'s maximum; DELETE is 204 and stops deliveries', async () => {
    const s = (await subscribe()).json;
    const later = inMinutes(120);
    const renewed = await h.graph('PATCH', `/subscriptions/${s.id}`, { expirationDateTime: later });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.json.expirationDateTime, new Date(later).toISOString());
    assert.equal((await h.graph('PATCH', `/subscriptions/${s.id}`, { expirationDateTime: inMinutes(5000) })).status, 400);
    const deleted = await h.graph('DELETE', `/subscriptions/${s.id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await h.graph('GET', `/subscriptions/${s.id}`)).status, 404);
    assert.equal((await h.graph('DELETE', `/subscriptions/${s.id}`)).status, 404);
    const recordId = await endACall();
    const other = (await subscribe()).json;
    const next = await endACall();
    await app.waitFor(() => notificationsFor(other.id).some((r) => r.body.value[0].resourceData.id === next), 'the other subscription hears of the next record');
    assert.ok(!notificationsFor(s.id).some((r) => r.body.value[0].resourceData.id === recordId), 'the deleted one heard nothing');
    await h.graph('DELETE', `/subscriptions/${other.id}`);
  });

  it('GET /subscriptions/{id} answers as Graph does: 200 with the subscription, 404 ResourceNotFound for an unknown id', async () => {
    const s = (await subscribe()).json;
    const found = await h.graph('GET', `/subscriptions/${s.id}`);
    assert.equal(found.status, 200);
    assert.equal(found.json.id, s.id);
    assert.equal(found.json.resource, '/communications/callRecords');
    assert.equal(found.json.expirationDateTime, s.expirationDateTime);
    for (const id of ['6a1d9c1e-8a0f-4c1b-9d55-3f1e2b7c9a10', 'not-a-guid']) {
      const missing = await h.graph('GET', `/subscriptions/${id}`);
      assert.equal(missing.status, 404, id);
      assert.match(missing.headers['content-type'] ?? '', /^application\/json/);
      assert.equal(missing.json.error.code, 'ResourceNotFound');
      assert.equal(typeof missing.json.error.message, 'string');
      assert.ok(missing.json.error.innerError?.['request-id'], 'innerError carries the request-id');
      assert.ok(missing.headers['request-id'], 'and so does the response');
    }
    await h.graph('DELETE', `/subscriptions/${s.id}`);
  });

  it('expiry: an expired subscription is removed (Graph answers 404) and hears nothing more', async () => {
    const s = (await subscribe()).json;
    const expired = await h.control('POST', `/subscriptions/${s.id}/expire`);
    assert.equal(expired.status, 200);
    assert.equal(expired.json.state, 'expired');
    assert.equal((await h.graph('GET', `/subscriptions/${s.id}`)).status, 404);
    assert.ok(!(await h.graph('GET', '/subscriptions')).json.value.some((x: any) => x.id === s.id));
    const recordId = await endACall();
    const probe = (await subscribe()).json;
    const next = await endACall();
    await app.waitFor(() => notificationsFor(probe.id).some((r) => r.body.value[0].resourceData.id === next), 'a live subscription hears the next record');
    assert.ok(!notificationsFor(s.id).some((r) => [recordId, next].includes(r.body.value[0].resourceData.id)), 'the expired one heard nothing');
    assert.equal((await h.control('POST', `/subscriptions/${s.id}/expire`)).json.error.code, 'emulator/unknown-subscription');
    await h.graph('DELETE', `/subscriptions/${probe.id}`);
  });

  it('presence: communications/presences/{id} subscriptions hear `updated` when the person\'s presence changes', async () => {
    // Presence subscriptions are delegated only: a signed-in person's Graph token (changenotifications-for-presence).
    const userToken = (await h.control('POST', `/users/${MATEO.id}/token`, { audience: 'https://graph.microsoft.com', scopes: ['Presence.Read.All'], clientId: CALLS_APP.clientId })).json.access_token as string;
    const s = (await subscribe({ resource: `/communications/presences/${JONAS.id}`, changeType: 'updated', expirationDateTime: inMinutes(30), lifecycleNotificationUrl: null }, userToken)).json;
    const meeting = (await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'Presence changes' })).json;
    await h.control('POST', `/meetings/${encodeURIComponent(meeting.id)}/people`, { person: JONAS.id });
    await app.waitFor(() => notificationsFor(s.id).length > 0, 'a presence notification');
    const item = notificationsFor(s.id)[0]!.body.value[0];
    assert.equal(item.changeType, 'updated');
    assert.equal(item.resource, `communications/presences/${JONAS.id}`);
    assert.equal(item.resourceData.id, JONAS.id);
    assert.equal(item.resourceData['@odata.type'], '#microsoft.graph.presence');
    assert.equal(item.resourceData['@odata.id'], `users/${JONAS.id}/presence`);
    assert.equal(item.organizationId, item.tenantId);
    assert.equal(item.encryptedContent, undefined, 'a basic notification carries no presence');
    await h.control('DELETE', `/meetings/${encodeURIComponent(meeting.id)}/people/${JONAS.id}`);
    await h.graph('DELETE', `/subscriptions/${s.id}`, undefined, userToken);
  });
});
