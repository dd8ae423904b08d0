// What the doctor advises for each Entra ID refusal, and how it reads its own token's claims.
import assert from 'node:assert/strict';
import { readTokenClaims } from '../../../server/doctor/token-claims.js';
import { tokenAdvice } from '../../../server/doctor/token-advice.js';

const APP = '5d1f7c3a-9e2b-4a6d-8c1f-0b2e3d4c5a6f';

describe('doctor: token advice and claims', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['App token request failed (invalid_client AADSTS7000215): Invalid client secret provided.', 'AADSTS7000215', /MicrosoftAppPassword is not a secret of app 5d1f7c3a/],
    ['App token request failed (invalid_client AADSTS7000222): The provided client secret keys are expired.', 'AADSTS7000222', /Create a new client secret/],
    ['App token request failed (unauthorized_client AADSTS700016): Application not found in the directory', 'AADSTS700016', /MicrosoftAppId .* MicrosoftAppTenantId/],
    ['App token request failed (invalid_request AADSTS90002): Tenant not found.', 'AADSTS90002', /MicrosoftAppTenantId/],
    ['App token request failed (invalid_request AADSTS900023): Specified tenant identifier is neither a valid DNS name', 'AADSTS900023', /MicrosoftAppTenantId/],
    ['App token request failed (invalid_client AADSTS700027): Client assertion failed signature validation.', 'AADSTS700027', /Certificates & secrets › Certificates/],
    ['App token request failed (invalid_client AADSTS700024): Client assertion is not within its valid time range.', 'AADSTS700024', /clock/],
    ['App token request failed (invalid_client AADSTS7000218): The request body must contain client_assertion or client_secret', 'AADSTS7000218', /MicrosoftAppPassword .* MicrosoftAppCertificatePath/],
    ['App token request failed (endpoints_resolution_error): Endpoints cannot be resolved', 'endpoints_resolution_error', /Identity issuer/],
    ['App token request failed: GET https://login.microsoftonline.com failed: ENOTFOUND', 'network', /proxy, firewall/],
    ['App token request failed (invalid_grant AADSTS50000): something new', 'AADSTS50000', /app registration/],
    ['something nobody has seen', 'unknown', /README › Cloud setup/],
  ];
  for (const [message, code, fix] of cases) {
    it(`${code}: says what to do`, () => {
      const advice = tokenAdvice(message, APP);
      assert.equal(advice.code, code);
      assert.match(advice.fix, fix);
      assert.ok(advice.what.length > 0);
    });
  }

  function jwt(payload: unknown): string {
    return `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.signature`;
  }

  it('reads roles, tenant and app id from a v1 token', () => {
    assert.deepEqual(readTokenClaims(jwt({ roles: ['Calls.Initiate.All', 7], tid: 't', appid: 'a', aud: 'https://graph.microsoft.com' })), {
      roles: ['Calls.Initiate.All'],
      tenantId: 't',
      appId: 'a',
      audience: 'https://graph.microsoft.com',
    });
  });

  it('reads azp as the app id of a v2 token, and no roles as none', () => {
    assert.deepEqual(readTokenClaims(jwt({ azp: 'a2' })), { roles: [], tenantId: undefined, appId: 'a2', audience: undefined });
  });

  for (const bad of ['opaque', 'a.!!!.c', `x.${Buffer.from('[1,2').toString('base64url')}.y`, '']) {
    it(`answers undefined for a token that is not a JWT (${JSON.stringify(bad.slice(0, 12))})`, () => {
      assert.equal(readTokenClaims(bad), undefined);
    });
  }
});
