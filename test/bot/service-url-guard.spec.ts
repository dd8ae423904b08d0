// The bot never sends to a serviceUrl outside its allowlist (issue 12, item 6): local mode only loopback, cloud mode
// only Teams' Bot Connector hosts with a token whose `serviceurl` claim matches. Refused activities get a 4xx before
// any connector client exists; no outbound connection is attempted (non-loopback connects are intercepted here and
// never leave the machine).
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, BotFrameworkAuthentication, ClaimsIdentity, ConnectorFactory, type AuthenticateRequestResult, type ConnectorClient } from 'botframework-connector';
import { exportJWK, SignJWT } from 'jose';
import { request } from 'undici';
import { createAdapter } from '../../bot/adapter.js';
import { Conversations, loopbackServiceUrlAllowed, teamsServiceUrlAllowed } from '../../bot/conversations.js';
import { CONVERSATIONS_COLLECTION } from '../../comms/people/index.js';
import { ServiceUrlGuard } from '../../bot/service-url-guard.js';
import { openSqliteStore } from '../../comms/store/index.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';

/** Non-loopback targets an attacker would name (IP literals only: nothing here needs DNS). */
const HOSTILE_FOR_LOCAL = [
  'http://169.254.169.254/latest/meta-data/',
  'http://169.254.170.2/',
  'http://10.0.0.1/',
  'http://172.16.5.4:8080/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://0.0.0.0:3978/',
  'http://[fd00::1]/',
  'http://[fe80::1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://203.0.113.7/',
  'https://198.51.100.20/',
  'http://127.0.0.1@203.0.113.9/',
];
const HOSTILE_HOSTNAMES = [
  'https://smba.trafficmanager.net.evil.example/amer/',
  'https://evilbotframework.com/',
  'https://botframework.com.evil.example/',
  'http://smba.trafficmanager.net/amer/', // not https
  'https://localhost.evil.example/',
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_',
  'not a url',
  '',
];

describe('serviceUrl allowlists', () => {
  it('local mode accepts loopback only (127.0.0.0/8, ::1, localhost)', () => {
    for (const url of ['http://127.0.0.1:3979/_connector/', 'https://127.0.0.1/', 'http://127.3.4.5:1/', 'http://127.1:9/', 'http://localhost:56150/', 'http://[::1]:4000/']) {
      assert.equal(loopbackServiceUrlAllowed(url), true, url);
    }
    for (const url of [...HOSTILE_FOR_LOCAL, ...HOSTILE_HOSTNAMES, 'https://smba.trafficmanager.net/amer/']) {
      assert.equal(loopbackServiceUrlAllowed(url), false, url);
    }
  });

  it("cloud mode accepts Teams' Bot Connector hosts over https only", () => {
    for (const url of ['https://smba.trafficmanager.net/amer/', 'https://smba.trafficmanager.net/emea/', 'https://europe.webchat.botframework.com/', 'https://smba.infra.gov.teams.microsoft.us/']) {
      assert.equal(teamsServiceUrlAllowed(url), true, url);
    }
    for (const url of [...HOSTILE_FOR_LOCAL, ...HOSTILE_HOSTNAMES, 'http://127.0.0.1:3979/']) {
      assert.equal(teamsServiceUrlAllowed(url), false, url);
    }
  });
});

/** A stand-in for botbuilder's authentication that records what the adapter asks of it. */
class RecordingAuthentication extends BotFrameworkAuthentication {
  authenticated = 0;
  created: string[] = [];
  constructor(private readonly claims: Array<{ type: string; value: string }> = []) {
    super();
  }
  async authenticateRequest(): Promise<AuthenticateRequestResult> {
    this.authenticated++;
    return { audience: 'https://api.botframework.com', claimsIdentity: new ClaimsIdentity(this.claims, true), connectorFactory: this.createConnectorFactory() };
  }
  authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new Error('not used');
  }
  createConnectorFactory(): ConnectorFactory {
    const created = this.created;
    return new (class extends ConnectorFactory {
      async create(serviceUrl: string): Promise<ConnectorClient> {
        created.push(serviceUrl);
        return { conversations: { replyToActivity: async () => ({ id: 'r' }), sendToConversation: async () => ({ id: 's' }) } } as unknown as ConnectorClient;
      }
    })();
  }
  async createUserTokenClient(): Promise<never> {
    return {} as never;
  }
}

function activityFor(serviceUrl: string | undefined): Partial<Activity> {
  return {
    type: 'message',
    id: randomUUID(),
    text: 'help',
    channelId: 'msteams',
    ...(serviceUrl === undefined ? {} : { serviceUrl }),
    from: { id: 'user-1', name: 'Test User' },
    recipient: { id: 'bot', name: 'Switchboard' },
    conversation: { id: 'conversation-1', conversationType: 'personal' } as Activity['conversation'],
  };
}

/** Runs CloudAdapter.process as the messages route does, with a minimal request/response pair. */
async function processThrough(adapter: CloudAdapter, activity: Partial<Activity>, authorization = ''): Promise<{ status: number; ranLogic: boolean; body: string }> {
  let status = 0;
  let body = '';
  let ranLogic = false;
  const req = { method: 'POST', body: activity, headers: authorization ? { authorization } : {} };
  const res = {
    status(code: number) {
      status = code;
      return this;
    },
    send(text: unknown) {
      body = String(text);
      return this;
    },
    end() {
      return this;
    },
    header() {
      return this;
    },
  };
  const quietly = console.error;
  console.error = () => undefined; // CloudAdapter prints every refusal
  try {
    // The turn sends nothing: a connector client existing is what would carry a reply (and in cloud mode the bot's
    // token), so the tests assert on the clients created.
    await adapter.process(req as never, res as never, async (_context: TurnContext) => {
      ranLogic = true;
    });
  } finally {
    console.error = quietly;
  }
  return { status, ranLogic, body };
}

describe('ServiceUrlGuard around the adapter', () => {
  it('local: refuses every non-loopback serviceUrl with 4xx before authenticating, creating a client or running the turn', async () => {
    for (const url of [...HOSTILE_FOR_LOCAL, ...HOSTILE_HOSTNAMES, 'https://smba.trafficmanager.net/amer/', undefined]) {
      const inner = new RecordingAuthentication();
      const adapter = new CloudAdapter(new ServiceUrlGuard(inner, { allowed: loopbackServiceUrlAllowed, requireMatchingClaim: false }));
      const result = await processThrough(adapter, activityFor(url));
      assert.ok(result.status >= 400 && result.status < 500, `${String(url)}: status ${result.status}`);
      assert.equal(result.ranLogic, false, `${String(url)}: no turn`);
      assert.equal(inner.authenticated, 0, `${String(url)}: not authenticated`);
      assert.deepEqual(inner.created, [], `${String(url)}: no connector client`);
    }
  });

  it('local: a loopback serviceUrl is served and replied to', async () => {
    const inner = new RecordingAuthentication();
    const adapter = new CloudAdapter(new ServiceUrlGuard(inner, { allowed: loopbackServiceUrlAllowed, requireMatchingClaim: false }));
    const result = await processThrough(adapter, activityFor('http://127.0.0.1:3979/_connector/'));
    assert.equal(result.status, 200);
    assert.equal(result.ranLogic, true);
    assert.deepEqual(inner.created, ['http://127.0.0.1:3979/_connector/']);
  });

  it("cloud: refuses a Teams serviceUrl whose token's serviceurl claim is missing or different", async () => {
    const url = 'https://smba.trafficmanager.net/amer/';
    for (const claims of [[], [{ type: 'serviceurl', value: 'https://smba.trafficmanager.net/emea/' }], [{ type: 'serviceurl', value: `${url}x` }]]) {
      const inner = new RecordingAuthentication(claims);
      const adapter = new CloudAdapter(new ServiceUrlGuard(inner, { allowed: teamsServiceUrlAllowed, requireMatchingClaim: true }));
      const result = await processThrough(adapter, activityFor(url), 'Bearer x.y.z');
      assert.equal(result.status, 401, JSON.stringify(claims));
      assert.match(result.body, /serviceurl claim/);
      assert.equal(result.ranLogic, false);
      assert.deepEqual(inner.created, []);
    }
    const inner = new RecordingAuthentication([{ type: 'serviceurl', value: url }]);
    const adapter = new CloudAdapter(new ServiceUrlGuard(inner, { allowed: teamsServiceUrlAllowed, requireMatchingClaim: true }));
    const result = await processThrough(adapter, activityFor(url), 'Bearer x.y.z');
    assert.equal(result.status, 200);
    assert.deepEqual(inner.created, [url]);
  });

  it('cloud: refuses a non-Teams serviceUrl even when the token names it', async () => {
    for (const url of ['http://169.254.169.254/', 'https://203.0.113.7/', 'https://evilbotframework.com/']) {
      const inner = new RecordingAuthentication([{ type: 'serviceurl', value: url }]);
      const adapter = new CloudAdapter(new ServiceUrlGuard(inner, { allowed: teamsServiceUrlAllowed, requireMatchingClaim: true }));
      const result = await processThrough(adapter, activityFor(url), 'Bearer x.y.z');
      assert.ok(result.status >= 400 && result.status < 500, `${url}: ${result.status}`);
      assert.equal(inner.authenticated, 0);
      assert.deepEqual(inner.created, []);
    }
  });

  it('a stored conversation reference to a non-allowed host is never sent to (proactive messages)', async () => {
    const store = openSqliteStore(':memory:');
    const inner = new RecordingAuthentication();
    const adapter = new CloudAdapter(new ServiceUrlGuard(inner, { allowed: loopbackServiceUrlAllowed, requireMatchingClaim: false }));
    const conversations = new Conversations(adapter, '', store, loopbackServiceUrlAllowed);
    await store.put(CONVERSATIONS_COLLECTION, 'planted', { serviceUrl: 'http://169.254.169.254/', channelId: 'msteams', conversation: { id: 'planted' }, bot: { id: 'bot' } });
    await assert.rejects(conversations.send('planted', { type: 'message', text: 'hello' }), /serviceUrl/);
    assert.deepEqual(inner.created, []);
    store.close();
  });
});

describe('cloud mode with the real botbuilder token validation', () => {
  // botbuilder compares the `serviceurl` claim only for channel tokens; an emulator-issuer token (the app's own Entra
  // token) passes botbuilder without one. Keys and metadata come from a local server; nothing leaves loopback.
  const appId = randomUUID();
  const tenantId = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let metadata: Server;
  let base = '';
  const kid = 'test-key';

  before(async () => {
    const jwk = { ...(await exportJWK(publicKey)), kid, kty: 'RSA', use: 'sig' };
    metadata = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/openid')) res.end(JSON.stringify({ issuer: 'test', jwks_uri: `${base}/keys` }));
      else res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => metadata.close(() => resolve())));

  function authentication(): ConfigurationBotFrameworkAuthentication {
    return new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: appId,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: tenantId,
      // Any override switches botbuilder to "all parameters given": the public cloud's values, with local keys.
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ValidateAuthority: true,
      ToBotFromChannelOpenIdMetadataUrl: `${base}/openid-channel`,
      ToBotFromEmulatorOpenIdMetadataUrl: `${base}/openid-emulator`,
    });
  }

  async function token(claims: Record<string, unknown>, issuer: string): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(issuer).setAudience(appId).setIssuedAt().setExpirationTime('5m').sign(privateKey);
  }
  const channelIssuer = 'https://api.botframework.com';
  const emulatorIssuer = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
  const teams = 'https://smba.trafficmanager.net/amer/';

  it('botbuilder itself refuses a channel token whose serviceurl claim differs from the activity', async () => {
    const adapter = new CloudAdapter(authentication()); // no guard: what botbuilder enforces on its own
    const result = await processThrough(adapter, activityFor(teams), `Bearer ${await token({ serviceurl: 'https://smba.trafficmanager.net/emea/' }, channelIssuer)}`);
    assert.equal(result.status, 401);
    assert.match(result.body, /ServiceUrl claim do not match/);
    assert.equal(result.ranLogic, false);
  });

  it('botbuilder alone accepts an emulator-issuer token with no serviceurl claim; the guard refuses it', async () => {
    const emulatorToken = await token({ ver: '1.0', appid: appId }, emulatorIssuer);
    const bare = await processThrough(new CloudAdapter(authentication()), { ...activityFor(teams), type: 'typing' }, `Bearer ${emulatorToken}`);
    assert.equal(bare.ranLogic, true, 'botbuilder does not compare the claim for this token');
    const guarded = await processThrough(createCloudAdapter(), activityFor(teams), `Bearer ${emulatorToken}`);
    assert.equal(guarded.status, 401);
    assert.match(guarded.body, /serviceurl claim/);
    assert.equal(guarded.ranLogic, false);
  });

  it('the guarded cloud adapter accepts a channel token whose serviceurl claim matches a Teams host', async () => {
    let ranLogic = false;
    const adapter = createCloudAdapter();
    const req = { method: 'POST', body: activityFor(teams), headers: { authorization: `Bearer ${await token({ serviceurl: teams }, channelIssuer)}` } };
    let status = 0;
    const res = { status: (c: number) => (status = c), send: () => undefined, end: () => undefined, header: () => undefined };
    await adapter.process(req as never, res as never, async () => {
      ranLogic = true; // sends nothing: a reply would need a real token from Entra
    });
    assert.equal(status, 200);
    assert.equal(ranLogic, true);
  });

  function createCloudAdapter(): CloudAdapter {
    return new CloudAdapter(new ServiceUrlGuard(authentication(), { allowed: teamsServiceUrlAllowed, requireMatchingClaim: true }));
  }

  it('createAdapter builds the cloud adapter with the guard', () => {
    const adapter = createAdapter(
      { mode: 'cloud', appId, tenantId, appType: 'SingleTenant', credential: { kind: 'secret', secret: 'not-a-real-secret' } },
      { error: () => undefined } as never,
    );
    assert.ok((adapter as unknown as { botFrameworkAuthentication: unknown }).botFrameworkAuthentication instanceof ServiceUrlGuard);
  });
});

describe('POST /api/messages in local mode with hostile serviceUrls (end to end)', () => {
  let app: LocalSwitchboard;
  let connector: FakeConnector;
  const attempts: string[] = [];
  const realConnect = net.Socket.prototype.connect;

  before(async () => {
    app = await startLocalSwitchboard();
    connector = await startFakeConnector();
    // Record every outbound TCP connection; one to a non-loopback address is failed here and never leaves the machine.
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const first = Array.isArray(args[0]) ? args[0][0] : args[0];
      const options = (typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }) as { host?: string; port?: number; path?: string };
      if (!options.path) {
        const host = String(options.host ?? 'localhost');
        attempts.push(`${host}:${String(options.port)}`);
        if (!(host === 'localhost' || host === '::1' || host.startsWith('127.'))) {
          process.nextTick(() => this.destroy(new Error(`test: blocked outbound connection to ${host}`)));
          return this;
        }
      }
      return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof realConnect;
  });
  after(async () => {
    net.Socket.prototype.connect = realConnect;
    await app?.stop();
    await connector?.close();
  });

  async function post(activity: Partial<Activity>): Promise<number> {
    const res = await request(`${app.url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
    await res.body.text();
    return res.statusCode;
  }

  it('refuses each with 4xx and attempts no connection to it; a loopback serviceUrl still gets its reply', async () => {
    for (const url of HOSTILE_FOR_LOCAL) {
      attempts.length = 0;
      const status = await post(activityFor(url));
      assert.ok(status >= 400 && status < 500, `${url}: status ${status}`);
      await new Promise((r) => setTimeout(r, 50)); // a reply would be sent within the turn; give a stray one a moment
      const target = new URL(url).hostname.replace(/^\[|\]$/g, '');
      assert.deepEqual(attempts.filter((a) => !a.startsWith('127.') && !a.startsWith('localhost')), [], `${url}: no outbound attempt (target ${target})`);
    }
    // The interception sees real replies: the same activity to the loopback connector is answered through it.
    attempts.length = 0;
    const before = connector.sent.length;
    assert.equal(await post(activityFor(connector.serviceUrl)), 200);
    await connector.waitFor(before + 1);
    assert.ok(attempts.includes(`127.0.0.1:${new URL(connector.serviceUrl).port}`), attempts.join(', '));
  });
});
