// GET /v1.0/users and /v1.0/users/{id | upn}: Graph's default properties, $select, $top paging, $filter subset,
// Graph-style 400/404/405.

import assert from 'node:assert/strict';
import { AMARA_ID, startHarness, type Harness } from './emulator-harness.js';

const DEFAULT_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

describe('emulator Graph users', () => {
  let h: Harness;
  let token: string;

  before(async () => {
    h = await startHarness();
    token = await h.appToken();
  });

  after(async () => {
    await h.close();
  });

  const get = (path: string) => h.call('GET', path, { token });

  it('lists the built-in people with Graph default properties', async () => {
    const reply = await get('/v1.0/users');
    assert.equal(reply.status, 200);
    assert.equal(reply.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#users`);
    assert.equal(reply.json.value.length, 8);
    for (const user of reply.json.value) {
      assert.deepEqual(Object.keys(user), DEFAULT_PROPERTIES);
      assert.match(user.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.match(user.userPrincipalName, /@switchboard\.test$/);
      assert.ok(Array.isArray(user.businessPhones));
    }
    assert.equal(reply.json['@odata.nextLink'], undefined);
  });

  it('pages with $top and @odata.nextLink until every user is seen once', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${h.emulator.graphUrl}/users?$top=3&$select=id`;
    let pages = 0;
    while (next) {
      const reply = await get(next.slice(h.emulator.url.length));
      assert.equal(reply.status, 200);
      assert.ok(reply.json.value.length <= 3);
      seen.push(...reply.json.value.map((u: { id: string }) => u.id));
      next = reply.json['@odata.nextLink'];
      pages += 1;
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 8);
  });

  it('returns only the $select properties, in the context URL too', async () => {
    const reply = await get('/v1.0/users?$select=displayName,ID,department');
    assert.equal(reply.status, 200);
    assert.equal(reply.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#users(displayName,id,department)`);
    assert.deepEqual(Object.keys(reply.json.value[0]), ['displayName', 'id', 'department']);
    assert.equal(reply.json.value[0].department, null);
  });

  const filters: Array<{ filter: string; expected: string[] }> = [
    { filter: "userPrincipalName eq 'amara.okafor@switchboard.test'", expected: ['Amara Okafor'] },
    { filter: "userPrincipalName eq 'AMARA.OKAFOR@switchboard.test'", expected: ['Amara Okafor'] },
    { filter: "mail eq 'hana.sato@switchboard.test'", expected: ['Hana Sato'] },
    { filter: "startswith(displayName,'J')", expected: ['Jonas Lindqvist'] },
    { filter: "startswith(displayName, 'pri')", expected: ['Priya Raman'] },
    { filter: "mail eq 'nobody@switchboard.test'", expected: [] },
    { filter: "displayName eq 'O''Brien'", expected: [] },
  ];
  for (const row of filters) {
    it(`filters with $filter=${row.filter}`, async () => {
      const reply = await get(`/v1.0/users?$filter=${encodeURIComponent(row.filter)}`);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json.value.map((u: { displayName: string }) => u.displayName), row.expected);
    });
  }

  const badQueries: Array<{ name: string; query: string }> = [
    { name: 'an or clause', query: `$filter=${encodeURIComponent("mail eq 'a' or mail eq 'b'")}` },
    { name: 'ne', query: `$filter=${encodeURIComponent("mail ne 'a'")}` },
    { name: 'an unknown property', query: `$filter=${encodeURIComponent("shoeSize eq '42'")}` },
    { name: 'endswith', query: `$filter=${encodeURIComponent("endswith(mail,'.test')")}` },
    { name: 'an unquoted value', query: `$filter=${encodeURIComponent('mail eq hana')}` },
    { name: '$top=0', query: '$top=0' },
    { name: '$top=1000', query: '$top=1000' },
    { name: '$top=abc', query: '$top=abc' },
    { name: 'an unknown $select property', query: '$select=shoeSize' },
    { name: 'an unsupported option', query: '$expand=manager' },
    { name: 'a forged $skiptoken', query: '$skiptoken=nonsense' },
  ];
  for (const row of badQueries) {
    it(`answers ${row.name} with 400 BadRequest`, async () => {
      const reply = await get(`/v1.0/users?${row.query}`);
      assert.equal(reply.status, 400);
      assert.equal(reply.json.error.code, 'BadRequest');
    });
  }

  it('orders by displayName descending', async () => {
    const reply = await get('/v1.0/users?$orderby=displayName%20desc&$select=displayName');
    const names = reply.json.value.map((u: { displayName: string }) => u.displayName);
    assert.deepEqual(names, [...names].sort().reverse());
  });

  for (const key of [AMARA_ID, AMARA_ID.toUpperCase(), 'amara.okafor@switchboard.test', 'Amara.Okafor@Switchboard.test']) {
    it(`gets a user by ${key}`, async () => {
      const reply = await get(`/v1.0/users/${encodeURIComponent(key)}`);
      assert.equal(reply.status, 200);
      assert.equal(reply.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#users/$entity`);
      assert.equal(reply.json.id, AMARA_ID);
      assert.deepEqual(Object.keys(reply.json), ['@odata.context', ...DEFAULT_PROPERTIES]);
    });
  }

  it('gets a user with $select', async () => {
    const reply = await get(`/v1.0/users/${AMARA_ID}?$select=id,mail`);
    assert.equal(reply.json['@odata.context'], `${h.emulator.graphUrl}/$metadata#users(id,mail)/$entity`);
    assert.deepEqual(Object.keys(reply.json), ['@odata.context', 'id', 'mail']);
  });

  it('answers an unknown user with 404 Request_ResourceNotFound naming it', async () => {
    const reply = await get('/v1.0/users/00000000-0000-4000-8000-000000000000');
    assert.equal(reply.status, 404);
    assert.equal(reply.json.error.code, 'Request_ResourceNotFound');
    assert.ok(reply.json.error.message.includes("'00000000-0000-4000-8000-000000000000'"));
    assert.deepEqual(Object.keys(reply.json.error.innerError).sort(), ['client-request-id', 'date', 'request-id']);
  });

  it('answers an unknown path with 400 BadRequest naming the first unknown segment', async () => {
    for (const [path, segment] of [['/v1.0/widgets', 'widgets'], [`/v1.0/users/${AMARA_ID}/shoes`, 'shoes']] as const) {
      const reply = await get(path);
      assert.equal(reply.status, 400);
      assert.equal(reply.json.error.code, 'BadRequest');
      assert.equal(reply.json.error.message, `Resource not found for the segment '${segment}'.`);
    }
  });

  it('answers a method the path does not support with 405', async () => {
    const reply = await h.call('DELETE', '/v1.0/users', { token });
    assert.equal(reply.status, 405);
    assert.equal(reply.json.error.code, 'Request_BadRequest');
  });
});
