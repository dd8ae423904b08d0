// Every inbound route that reads a body, against one table of hostile bodies: decompression bombs, encodings and
// content types it does not take, sizes counted on the decoded and on the actually-read bytes, deep nesting,
// malformed UTF-8 and JSON, prototype keys. Each case asserts the status and code AND that nothing changed (no Graph
// request, no temp file, no store write, no pollution) and that the process still answers.
import assert from 'node:assert/strict';
import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib';
import { LOCAL_APP } from '../../server/config.js';
import { tabToken } from '../tab/tab-helpers.js';
import { assertNothingChanged, chunked, send, snapshot, startEdgeApp, zeroBomb, type EdgeApp } from './edge-harness.js';

interface Route {
  name: string;
  path: string;
  /** The route's body limit (bytes, decoded). */
  limit: number;
  auth?: () => string;
}

interface BodyCase {
  name: string;
  headers: Record<string, string>;
  body: (route: Route) => Buffer | ReturnType<typeof chunked>;
  status: number;
  code: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const MB = 1024 * 1024;

describe('hostile request bodies on every route that reads one', function () {
  this.timeout(120_000);
  let edge: EdgeApp;
  let gzipBomb: Buffer;
  let deflateBomb: Buffer;
  let callingAuth: string;
  let tabAuth: string;

  before(async () => {
    edge = await startEdgeApp();
    // 600 MB of zeros each, ~600 KB on the wire: under every route's limit as sent, far over it decoded.
    [gzipBomb, deflateBomb] = await Promise.all([zeroBomb(600, 'gzip'), zeroBomb(600, 'deflate')]);
    assert.ok(gzipBomb.length < MB && deflateBomb.length < MB);
    callingAuth = `Bearer ${await edge.app.emulator!.signCallingToken({ audience: LOCAL_APP.id })}`;
    tabAuth = `Bearer ${await tabToken(edge.app, 'amara')}`;
  });
  after(async () => {
    await edge?.stop();
  });

  const routes: Route[] = [
    { name: 'POST /api/messages (anonymous in local mode)', path: '/api/messages', limit: MB },
    { name: 'POST /api/calling (validly signed)', path: '/api/calling', limit: 8 * MB, auth: () => callingAuth },
    { name: 'POST /api/notifications/call-records', path: '/api/notifications/call-records', limit: MB },
    { name: 'POST /api/notifications/presence', path: '/api/notifications/presence', limit: MB },
    { name: 'POST /api/tab/dev/token', path: '/api/tab/dev/token', limit: 16 * 1024 },
    { name: 'POST /api/tab/meetings/:key/mute-all (signed-in user)', path: '/api/tab/meetings/any-meeting/mute-all', limit: 16 * 1024, auth: () => tabAuth },
  ];

  const over = (route: Route) => Buffer.from(JSON.stringify({ value: 'x'.repeat(route.limit) }));
  const multipart = Buffer.from(
    ['--b0undary', 'Content-Disposition: form-data; name="file"; filename="upload.bin"', 'Content-Type: application/octet-stream', '', 'x'.repeat(4096), '--b0undary--', ''].join('\r\n'),
  );
  const cases: BodyCase[] = [
    { name: 'a gzip bomb (600 MB of zeros in ~600 KB)', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: () => gzipBomb, status: 413, code: 'http/payload-too-large' },
    { name: 'a deflate bomb (600 MB of zeros in ~600 KB)', headers: { ...JSON_TYPE, 'content-encoding': 'deflate' }, body: () => deflateBomb, status: 413, code: 'http/payload-too-large' },
    { name: 'a gzip bomb sent chunked', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: () => chunked(gzipBomb), status: 413, code: 'http/payload-too-large' },
    { name: 'gzip whose decoded size is just over the limit', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: (r) => gzipSync(over(r)), status: 413, code: 'http/payload-too-large' },
    { name: 'identity just over the limit', headers: JSON_TYPE, body: over, status: 413, code: 'http/payload-too-large' },
    { name: 'identity over the limit, chunked (no Content-Length)', headers: JSON_TYPE, body: (r) => chunked(over(r)), status: 413, code: 'http/payload-too-large' },
    { name: 'Content-Encoding: br', headers: { ...JSON_TYPE, 'content-encoding': 'br' }, body: () => brotliCompressSync('{}'), status: 415, code: 'http/unsupported-encoding' },
    { name: 'Content-Encoding: compress', headers: { ...JSON_TYPE, 'content-encoding': 'compress' }, body: () => Buffer.from('{}'), status: 415, code: 'http/unsupported-encoding' },
    { name: 'Content-Encoding: gzip, gzip (stacked)', headers: { ...JSON_TYPE, 'content-encoding': 'gzip, gzip' }, body: () => gzipSync(gzipSync('{}')), status: 415, code: 'http/unsupported-encoding' },
    { name: 'gzip that is not gzip', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: () => Buffer.from('{"not":"gzip"}'), status: 400, code: 'http/invalid-json' },
    { name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: () => Buffer.from('{}'), status: 415, code: 'http/unsupported-media-type' },
    { name: 'application/x-www-form-urlencoded (a cross-site form post)', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: () => Buffer.from('type=message&text=call+Hana'), status: 415, code: 'http/unsupported-media-type' },
    { name: 'multipart/form-data with a file', headers: { 'content-type': 'multipart/form-data; boundary=b0undary' }, body: () => multipart, status: 415, code: 'http/unsupported-media-type' },
    { name: 'a body with no Content-Type', headers: {}, body: () => Buffer.from('{}'), status: 415, code: 'http/unsupported-media-type' },
    { name: 'JSON declared as latin1', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: () => Buffer.from('{}'), status: 415, code: 'http/unsupported-media-type' },
    { name: 'application/json-seq', headers: { 'content-type': 'application/json-seq' }, body: () => Buffer.from('{}'), status: 415, code: 'http/unsupported-media-type' },
    { name: 'nesting 65 deep', headers: JSON_TYPE, body: () => Buffer.from(`${'['.repeat(65)}${']'.repeat(65)}`), status: 400, code: 'http/json-too-deep' },
    { name: 'nesting 2,000 deep, gzipped', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: () => gzipSync(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`), status: 400, code: 'http/json-too-deep' },
    { name: 'malformed UTF-8', headers: JSON_TYPE, body: () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), status: 400, code: 'http/invalid-utf8' },
    { name: 'an overlong UTF-8 encoding of "/"', headers: JSON_TYPE, body: () => Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]), status: 400, code: 'http/invalid-utf8' },
    { name: 'malformed JSON', headers: JSON_TYPE, body: () => Buffer.from('{"type": "message",'), status: 400, code: 'http/invalid-json' },
    { name: 'deflate of malformed JSON', headers: { ...JSON_TYPE, 'content-encoding': 'deflate' }, body: () => deflateSync('{"a":'), status: 400, code: 'http/invalid-json' },
  ];

  for (const route of routes) {
    describe(route.name, () => {
      for (const c of cases) {
        it(`refuses ${c.name} with ${c.status} ${c.code}, and nothing changes`, async () => {
          const before = await snapshot(edge);
          const res = await send(edge.app.url + route.path, { headers: { ...c.headers, ...(route.auth ? { authorization: route.auth() } : {}) }, body: c.body(route) });
          assert.equal(res.status, c.status, res.text);
          assert.equal(res.json?.error?.code, c.code, res.text);
          assert.equal(typeof res.json.error.message, 'string');
          await assertNothingChanged(edge, before, c.name);
        });
      }

      it('keeps prototype keys out: __proto__ and constructor.prototype pollute nothing, and no 5xx', async () => {
        const before = await snapshot(edge);
        const payloads = [
          '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
          '{"value":[{"\\u005f_proto__":{"polluted":true}}],"type":"message"}',
        ];
        for (const body of payloads) {
          const res = await send(edge.app.url + route.path, { headers: { ...JSON_TYPE, ...(route.auth ? { authorization: route.auth() } : {}) }, body });
          // Refused (4xx), or acknowledged and dropped (the call-records webhook acks what fails its clientState).
          assert.ok(res.status < 500, `${res.status} ${res.text}`);
        }
        await assertNothingChanged(edge, before, 'prototype keys');
      });
    });
  }

  it('still takes a small gzipped JSON body (encodings the protocol allows keep working)', async () => {
    const res = await send(`${edge.app.url}/api/tab/dev/token`, { headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ user: 'amara.okafor@switchboard.test' })) });
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.json.accessToken, 'string');
    const utf8 = await send(`${edge.app.url}/api/tab/dev/token`, { headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ user: 'amara.okafor@switchboard.test' }) });
    assert.equal(utf8.status, 200, utf8.text);
  });
});
