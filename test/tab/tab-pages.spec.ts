// The tab's pages and bundles: every page is an HTML shell sent with the tab's Content-Security-Policy — frame-ancestors
// exactly Teams', Microsoft 365's and Outlook's hosts (snapshot) — and loads content-hashed bundles that are cached
// for a year; nothing else under /tab/assets is served.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { FRAME_ANCESTORS, TAB_PAGES } from '../../tab/server/index.js';
import { pageHtml } from '../../tab/server/page-routes.js';
import { startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';

const FRAME_ANCESTORS_SNAPSHOT =
  'frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.microsoft365.com https://*.office.com https://outlook.office.com https://outlook.office365.com';

describe('tab pages and bundles', () => {
  let app: LocalSwitchboard;
  before(async () => {
    app = await startLocalSwitchboard();
  });
  after(async () => {
    await app?.stop();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await request(app.url + path, { headers });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, body };
  };

  it('the frame-ancestors list is exactly the Teams platform list', () => {
    assert.equal(`frame-ancestors ${FRAME_ANCESTORS.join(' ')}`, FRAME_ANCESTORS_SNAPSHOT);
  });

  for (const path of Object.keys(TAB_PAGES)) {
    it(`${path} is an HTML shell with the tab CSP (frame-ancestors snapshot), nosniff and no caching of the shell`, async () => {
      const res = await get(path);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      const csp = String(res.headers['content-security-policy']).split(';').map((d) => d.trim());
      assert.deepEqual(csp.filter((d) => d.startsWith('frame-ancestors')), [FRAME_ANCESTORS_SNAPSHOT]);
      assert.ok(csp.includes("script-src 'self'"), 'scripts only from the app');
      assert.ok(csp.includes("object-src 'none'"));
      assert.ok(!csp.some((d) => d.startsWith('script-src') && /unsafe/.test(d)), 'no unsafe script sources');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['cache-control'], 'no-cache');
      const html = res.body.toString('utf8');
      const script = /<script type="module" src="\/tab\/assets\/([\w.-]+)"><\/script>/.exec(html);
      assert.ok(script, 'loads its bundle');
      assert.match(script[1]!, /^[\w-]+\.[A-Z0-9]{8}\.js$/, 'a content-hashed bundle name');
      assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline script');
    });
  }

  it('bundles: hashed names served immutable (gzip when asked); an unknown or traversing name is 404', async () => {
    const html = (await get('/tab/side-panel')).body.toString('utf8');
    const assets = [...html.matchAll(/\/tab\/assets\/([\w.-]+)/g)].map((m) => m[1]!);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')));
    for (const asset of assets) {
      const res = await get(`/tab/assets/${asset}`);
      assert.equal(res.status, 200, asset);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', asset);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.match(String(res.headers['content-type']), asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    }
    // The page's own bundle (a shared chunk may be too small to be worth compressing).
    const js = /<script type="module" src="\/tab\/assets\/([\w.-]+)">/.exec(html)![1]!;
    const zipped = await get(`/tab/assets/${js}`, { 'accept-encoding': 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    for (const bad of ['nope.12345678.js', 'manifest.json', '..%2Fserver%2Fstart.js', '%2e%2e%2f%2e%2e%2fpackage.json', 'side-panel.js']) {
      const res = await get(`/tab/assets/${bad}`);
      assert.equal(res.status, 404, bad);
      assert.notEqual(res.headers['cache-control'], 'public, max-age=31536000, immutable', bad);
    }
  });

  it('the shell escapes what it writes', () => {
    const html = pageHtml('<x>', { js: 'a".js', css: [], preload: [] }, 'local"');
    assert.doesNotMatch(html, /<x>|a"\.js|local"/);
  });
});
