// Live presence end to end: Mateo opens the meeting's side panel (his tab token); the app trades it on his behalf
// (on-behalf-of) for a delegated Graph token and subscribes to the roster's presence with resource data under its own
// certificate (made under the data folder). When Jonas's presence changes in the emulator, Graph's encrypted
// notification reaches the app, passes the validationTokens, clientState and HMAC checks, is decrypted, and arrives
// on Mateo's stream as a `presence` event. A notification with a tampered signature, or encrypted for another
// certificate, is answered 202, refused, logged (without its tokens) and never reaches the stream.
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import type { StoredPresenceSubscription } from '../../comms/presence/index.js';
import { LOCAL_APP } from '../../server/config.js';
import { changeTrackingToken, emulatorSigner, encryptFor } from '../support/forged-notifications.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { loadWebModule } from '../tab/load-web-module.js';
import { meetingPath, meetingWithBot, openSse, personJoins, tabJson, tabToken, type OpenSse, type SseMessage, type TabMeeting } from '../tab/tab-helpers.js';

const presenceEvents = (stream: OpenSse) => stream.messages.filter((m) => m.event === 'presence').map((m) => JSON.parse(m.data) as { userId: string; availability: string; activity: string });

describe('live presence through an encrypted subscription (end to end)', function () {
  this.timeout(90_000);
  let app: LocalSwitchboard;
  let meeting: TabMeeting;
  let stream: OpenSse;
  let Parser: new () => { push(text: string): SseMessage[] };
  let subscription: StoredPresenceSubscription;

  before(async () => {
    app = await startLocalSwitchboard({ emulatorOptions: { rosterBatchMs: 20 } });
    ({ SseParser: Parser } = await loadWebModule<{ SseParser: new () => { push(text: string): SseMessage[] } }>('tab/web/sse-parser.ts'));
    meeting = await meetingWithBot(app, 'Presence review');
    await personJoins(app, meeting.meetingKey, 'jonas');
    await personJoins(app, meeting.meetingKey, 'priya');
    await eventually(async () => {
      const ids = (await app.meetings.roster(meeting.meetingKey)).entries.map((e) => e.userId?.toLowerCase());
      return ids.includes(meeting.ids.jonas.toLowerCase()) && ids.includes(meeting.ids.priya.toLowerCase());
    }, 'Jonas and Priya on the roster', 20_000);
  });
  after(async () => {
    await stream?.close();
    await app?.stop();
  });

  it('no subscription before anyone signs in: presence is polled (app-only)', async () => {
    const subs = (await app.emulatorJson('GET', '/emulator/subscriptions')).body.value as any[];
    assert.equal(subs.filter((s) => /presences/.test(s.resource) && s.state === 'active').length, 0);
  });

  it('the side panel\'s stream gets presence changes live, decrypted from Graph\'s encrypted notifications', async () => {
    const token = await tabToken(app, 'mateo');
    const view = await tabJson(app, token, 'GET', meetingPath(meeting.meetingKey));
    assert.equal(view.status, 200);
    stream = await openSse(app, meetingPath(meeting.meetingKey, '/stream'), { authorization: `Bearer ${token}`, 'last-event-id': view.body.stream.lastEventId }, Parser);
    assert.equal(stream.status, 200);

    // The app subscribed on Mateo's behalf, with resource data under its own certificate.
    let emulated: any;
    await eventually(async () => {
      const subs = (await app.emulatorJson('GET', '/emulator/subscriptions')).body.value as any[];
      emulated = subs.find((s) => /presences/.test(s.resource) && s.state === 'active');
      return emulated !== undefined;
    }, 'a presence subscription in the emulator', 20_000);
    assert.equal(emulated.creatorId.toLowerCase(), meeting.ids.mateo.toLowerCase(), 'made for Mateo (delegated), not the app');
    assert.equal(emulated.includeResourceData, true);
    assert.match(emulated.resource, new RegExp(meeting.ids.jonas, 'i'));
    subscription = (await app.store.get<StoredPresenceSubscription>('presenceSubscriptions', String(emulated.id).toLowerCase()))!;
    assert.ok(subscription, 'the subscription is stored with its clientState');

    const set = await app.emulatorJson('PUT', `/emulator/people/${meeting.ids.jonas}/presence`, { availability: 'DoNotDisturb', activity: 'Presenting' });
    assert.ok(set.status < 300, JSON.stringify(set.body));
    await stream.waitFor(() => presenceEvents(stream).some((p) => p.userId.toLowerCase() === meeting.ids.jonas.toLowerCase() && p.availability === 'DoNotDisturb'), 'Jonas presenting, live');
    const live = presenceEvents(stream).find((p) => p.availability === 'DoNotDisturb')!;
    assert.equal(live.activity, 'Presenting');

    await app.emulatorJson('DELETE', `/emulator/people/${meeting.ids.jonas}/presence`);
    await stream.waitFor(() => presenceEvents(stream).some((p) => p.userId.toLowerCase() === meeting.ids.jonas.toLowerCase() && p.availability === 'Busy'), 'Jonas back to Busy (in the meeting)');
  });

  describe('forged notifications', () => {
    let certificate: X509Certificate;
    let sign: (claims: Record<string, unknown>) => Promise<string>;
    const deliver = async (body: unknown) => {
      const res = await request(`${app.url}/api/notifications/presence`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.body.dump();
      return res.statusCode;
    };
    const encrypt = (resource: unknown, publicKey: KeyObject, certificateId: string) => encryptFor(resource, publicKey, certificateId, certificate);
    const item = (encryptedContent: unknown) => ({
      subscriptionId: subscription.id,
      clientState: subscription.clientState,
      changeType: 'updated',
      resource: `communications/presences/${meeting.ids.priya}`,
      resourceData: { '@odata.id': `users/${meeting.ids.priya}/presence`, '@odata.type': '#microsoft.graph.presence', id: meeting.ids.priya },
      tenantId: LOCAL_APP.tenantId,
      organizationId: LOCAL_APP.tenantId,
      encryptedContent,
    });
    const priyaAs = (availability: string) => ({ '@odata.id': `users/${meeting.ids.priya}/presence`, '@odata.type': '#microsoft.graph.presence', id: meeting.ids.priya, availability, activity: availability });
    const refusals = (reason: string) => app.logs.filter((l) => l.includes('refused and dropped') && l.includes(`"reason":"${reason}"`));

    before(() => {
      assert.ok(subscription, 'the live test ran first');
      certificate = new X509Certificate(readFileSync(join(app.dataDir, 'presence', 'notification-cert.pem')));
      // The emulator's own issuer key signs these forgeries' validation tokens, so only the payload check can refuse them.
      sign = emulatorSigner(app);
    });
    const validationToken = () => changeTrackingToken(app, sign);
    /** The id the app gave its certificate (what the emulator's subscription names). */
    let certificateIdValue: string;
    before(async () => {
      const subs = (await app.emulatorJson('GET', '/emulator/subscriptions')).body.value as any[];
      certificateIdValue = subs.find((s) => s.id === subscription.id)?.encryptionCertificateId ?? `switchboard-${certificate.fingerprint.replace(/:/g, '').slice(0, 20).toLowerCase()}`;
    });
    const certificateId = () => certificateIdValue;

    it('a genuine-looking forgery passes (the checks are not refusing everything)', async () => {
      assert.equal(await deliver({ value: [item(encrypt(priyaAs('BeRightBack'), certificate.publicKey, certificateId()))], validationTokens: [await validationToken()] }), 202);
      await stream.waitFor(() => presenceEvents(stream).some((p) => p.availability === 'BeRightBack'), 'the well-formed item');
    });

    it('a tampered signature is answered 202, refused, logged without its token, and never reaches the stream', async () => {
      const token = await validationToken();
      const content = encrypt(priyaAs('Offline'), certificate.publicKey, certificateId());
      const signature = Buffer.from(content.dataSignature, 'base64');
      signature[0]! ^= 0xff;
      assert.equal(await deliver({ value: [item({ ...content, dataSignature: signature.toString('base64') })], validationTokens: [token] }), 202);
      await eventually(() => refusals('bad-signature').length > 0, 'the refusal in the log');
      assert.ok(!app.logs.some((l) => l.includes(token.slice(0, 40))), 'the validation token is not logged');
      assert.ok(!app.logs.some((l) => l.includes(subscription.clientState)), 'the clientState is not logged');
      assert.ok(!presenceEvents(stream).some((p) => p.availability === 'Offline'), 'nothing reached the stream');
    });

    it('an item encrypted for another certificate is refused and logged', async () => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      assert.equal(await deliver({ value: [item(encrypt(priyaAs('Away'), publicKey, certificateId()))], validationTokens: [await validationToken()] }), 202);
      await eventually(() => refusals('wrong-certificate').length > 0, 'the refusal in the log');
      assert.ok(!presenceEvents(stream).some((p) => p.availability === 'Away' && p.userId === meeting.ids.priya), 'nothing reached the stream');
    });

    it('a validation token not from Graph change tracking is refused before anything is decrypted', async () => {
      const forged = await changeTrackingToken(app, sign, LOCAL_APP.id);
      assert.equal(await deliver({ value: [item(encrypt(priyaAs('OffWork'), certificate.publicKey, certificateId()))], validationTokens: [forged] }), 202);
      await eventually(() => refusals('wrong-appid').length > 0, 'the refusal in the log');
      assert.ok(!presenceEvents(stream).some((p) => p.availability === 'OffWork'), 'nothing reached the stream');
    });
  });
});
