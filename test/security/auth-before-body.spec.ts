// Authentication comes before the body wherever the protocol allows: the calling webhook and the tab API refuse a
// forged or missing token while the request body is still being sent (it is never read — a bomb is never inflated),
// and nothing changes.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { LOCAL_APP } from '../../server/config.js';
import { tabToken } from '../tab/tab-helpers.js';
import { assertNothingChanged, snapshot, startEdgeApp, type EdgeApp } from './edge-harness.js';

describe('authentication before the body (forged tokens, endless bodies)', function () {
  this.timeout(60_000);
  let edge: EdgeApp;

  before(async () => {
    edge = await startEdgeApp();
  });
  after(async () => {
    await edge?.stop();
  });

  const sign = (claims: Parameters<NonNullable<EdgeApp['app']['emulator']>['signCallingToken']>[0]) => edge.app.emulator!.signCallingToken(claims);
  const unsigned = (claims: object) => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

  const calling: Array<[string, () => Promise<string | undefined>, number]> = [
    ['no Authorization header', async () => undefined, 401],
    ['a Basic credential', async () => 'Basic dTpw', 401],
    ['a token for another app', async () => `Bearer ${await sign({ audience: '00000000-0000-0000-0000-000000000001' })}`, 403],
    ['a token from an unknown issuer', async () => `Bearer ${await sign({ audience: LOCAL_APP.id, issuer: 'https://evil.example' })}`, 403],
    ['an expired token', async () => `Bearer ${await sign({ audience: LOCAL_APP.id, expiresInSeconds: -3600 })}`, 403],
    ['an unsigned token (alg none)', async () => `Bearer ${unsigned({ aud: LOCAL_APP.id, iss: 'https://api.botframework.com', tid: LOCAL_APP.tenantId, exp: 9999999999 })}`, 403],
  ];
  const tab: Array<[string, () => Promise<string | undefined>, number]> = [
    ['no Authorization header', async () => undefined, 401],
    ['a bearer value that is not a JWT', async () => 'Bearer nope', 401],
    ['a tampered user token', async () => `Bearer ${(await tabToken(edge.app, 'amara')).slice(0, -6)}AAAAAA`, 401],
    ['an unsigned user token', async () => `Bearer ${unsigned({ aud: LOCAL_APP.id, tid: LOCAL_APP.tenantId, oid: 'x', scp: 'access_as_user', exp: 9999999999 })}`, 401],
    ['a calling token used as a user token', async () => `Bearer ${await sign({ audience: LOCAL_APP.id })}`, 401],
  ];

  const table: Array<[string, Array<[string, () => Promise<string | undefined>, number]>]> = [
    ['/api/calling', calling],
    ['/api/tab/meetings/any-meeting/mute-all', tab],
  ];
  for (const [path, cases] of table) {
    for (const [name, auth, status] of cases) {
      it(`POST ${path}: ${name} → ${status} while the body is still arriving, and nothing changes`, async () => {
        const before = await snapshot(edge);
        const authorization = await auth();
        const body = new PassThrough();
        body.write('{"value":[');
        // The body never ends: only an answer given without reading it can arrive.
        const res = await request(edge.app.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });
        assert.equal(res.statusCode, status, await res.body.text());
        body.destroy();
        await assertNothingChanged(edge, before, name);
      });
    }
  }
});
