// The emulator as MSAL sees it: @azure/msal-node acquires a Graph token by client credentials from the emulator's
// authority (https://127.0.0.1:port, known authority, trusted CA), and maps its Entra-style errors to ServerError.

import assert from 'node:assert/strict';
import { ConfidentialClientApplication, ProtocolMode, ServerError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { request, type Agent } from 'undici';
import { DEV_APP, DEV_SECRET, GRAPH_SCOPE, startHarness, type Harness } from './emulator-harness.js';

/** MSAL's network seam over undici with the emulator's CA (MSAL ignores custom agents on its default client). */
function networkClient(agent: Agent): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const res = await request(url, { method, headers: options?.headers, body: options?.body, dispatcher: agent });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
    return { status: res.statusCode, headers, body: (await res.body.json()) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

describe('emulator with MSAL (client credentials)', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h.close();
  });

  const client = (secret: string, protocolMode?: ProtocolMode) =>
    new ConfidentialClientApplication({
      auth: {
        clientId: DEV_APP.clientId,
        clientSecret: secret,
        authority: h.emulator.authorityUrl,
        knownAuthorities: [`127.0.0.1:${h.emulator.port}`],
      },
      system: { networkClient: networkClient(h.agent), ...(protocolMode ? { protocolMode } : {}) },
    });

  it('acquires a Graph token that the emulator\'s Graph accepts', async () => {
    await h.call('DELETE', '/emulator/requests');
    const result = await client(DEV_SECRET).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    assert.ok(result?.accessToken);
    const users = await h.call('GET', '/v1.0/users', { token: result.accessToken });
    assert.equal(users.status, 200);
    const paths = (await h.call('GET', '/emulator/requests')).json.value.map((e: { path: string }) => e.path);
    assert.deepEqual(paths.slice(0, 2), [`/${h.emulator.tenantId}/v2.0/.well-known/openid-configuration`, `/${h.emulator.tenantId}/oauth2/v2.0/token`]);
  });

  it('works in OIDC protocol mode (metadata path without /v2.0)', async () => {
    await h.call('DELETE', '/emulator/requests');
    const result = await client(DEV_SECRET, ProtocolMode.OIDC).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    assert.ok(result?.accessToken);
    const paths = (await h.call('GET', '/emulator/requests')).json.value.map((e: { path: string }) => e.path);
    assert.deepEqual(paths, [`/${h.emulator.tenantId}/.well-known/openid-configuration`, `/${h.emulator.tenantId}/oauth2/v2.0/token`]);
  });

  it('surfaces a wrong secret as ServerError invalid_client 7000215', async () => {
    await assert.rejects(client('wrong-secret').acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }), (err: unknown) => {
      assert.ok(err instanceof ServerError);
      assert.equal(err.errorCode, 'invalid_client');
      assert.equal(String(err.errorNo), '7000215');
      return true;
    });
  });

  it('surfaces an injected token-endpoint outage as a ServerError', async () => {
    await h.call('POST', '/emulator/faults', { json: { match: { method: 'POST', path: `/${h.emulator.tenantId}/oauth2/v2.0/token` }, status: 503 } });
    try {
      await assert.rejects(client(DEV_SECRET).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE], skipCache: true }), (err: unknown) => {
        assert.ok(err instanceof ServerError);
        assert.equal(err.errorCode, 'temporarily_unavailable');
        return true;
      });
    } finally {
      await h.call('DELETE', '/emulator/faults');
    }
  });
});
