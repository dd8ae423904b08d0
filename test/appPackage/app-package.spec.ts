// The Teams app package: built from manifest.json with the placeholders filled, valid against the official schema
// (offline), exactly three files at the zip root, and refused — naming the field — when a placeholder is left, the
// schema fails, the base URL is not HTTPS or an icon has the wrong size.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import yauzl from 'yauzl';
import { buildAppPackage, type BuildOptions } from '../../appPackage/app-package.js';
import { validateManifestSchema } from '../../appPackage/manifest-schema.js';
import { PackageError } from '../../appPackage/package-error.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VARIABLES = {
  TEAMS_APP_ID: '3a5e9b2c-1f0d-4c2a-8b3e-9d4c5e6f7a81',
  MicrosoftAppId: '5d1f7c3a-9e2b-4a6d-8c1f-0b2e3d4c5a6f',
  PUBLIC_BASE_URL: 'https://switchboard.example.com/',
};

interface ZipEntry {
  name: string;
  bytes: Buffer;
}

function readZip(path: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr || !stream) return reject(streamErr);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function refusal(options: Partial<BuildOptions>): Promise<PackageError> {
  try {
    await buildAppPackage({ root: ROOT, envName: 'test', variables: VARIABLES, ...options });
  } catch (err) {
    assert.ok(err instanceof PackageError, `expected a PackageError, got ${String(err)}`);
    return err;
  }
  assert.fail('the package was built although it should have been refused');
}

describe('Teams app package (npm run package)', () => {
  let outDir: string;
  let work: string;

  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), 'switchboard-package-'));
    work = mkdtempSync(join(tmpdir(), 'switchboard-manifest-'));
  });
  afterEach(() => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  function manifestWith(edit: (m: any) => void): string {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
    edit(manifest);
    const path = join(work, 'manifest.json');
    writeFileSync(path, JSON.stringify(manifest));
    return path;
  }

  it('zips exactly manifest.json, color.png and outline.png at the root, and writes the filled manifest beside it', async () => {
    const built = await buildAppPackage({ root: ROOT, envName: 'test', variables: VARIABLES, outDir });
    assert.equal(built.zipPath, join(outDir, 'appPackage.test.zip'));
    assert.equal(built.manifestPath, join(outDir, 'manifest.test.json'));
    const entries = await readZip(built.zipPath);
    assert.deepEqual(entries.map((e) => e.name).sort(), ['color.png', 'manifest.json', 'outline.png']);
    assert.deepEqual(JSON.parse(entries.find((e) => e.name === 'manifest.json')!.bytes.toString('utf8')), built.manifest);
    assert.deepEqual(JSON.parse(readFileSync(built.manifestPath, 'utf8')), built.manifest);
    assert.ok(entries.find((e) => e.name === 'color.png')!.bytes.equals(readFileSync(join(ROOT, 'appPackage', 'color.png'))));
  });

  it('gives the same bytes for the same inputs (fixed entry timestamps)', async () => {
    const first = readFileSync((await buildAppPackage({ root: ROOT, envName: 'a', variables: VARIABLES, outDir })).zipPath);
    const second = readFileSync((await buildAppPackage({ root: ROOT, envName: 'b', variables: VARIABLES, outDir })).zipPath);
    assert.ok(first.equals(second));
  });

  it('fills every placeholder, and the result passes the official v1.25 schema bundled with @microsoft/app-manifest', async () => {
    const { manifest } = await buildAppPackage({ root: ROOT, envName: 'test', variables: VARIABLES, outDir });
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
    assert.equal(manifest.$schema, 'https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.schema.json');
    assert.equal(manifest.manifestVersion, '1.25');
    assert.equal(manifest.id, VARIABLES.TEAMS_APP_ID);
    assert.deepEqual(await validateManifestSchema(manifest), []);
    assert.deepEqual(await AppManifestUtils.validateAgainstSchema(manifest as never), []);
  });

  it('declares a calling bot in personal, team and group chats', async () => {
    const { manifest } = await buildAppPackage({ root: ROOT, envName: 'test', variables: VARIABLES, outDir });
    const bot = (manifest.bots as any[])[0];
    assert.equal(bot.botId, VARIABLES.MicrosoftAppId);
    assert.equal(bot.supportsCalling, true);
    assert.equal(bot.supportsVideo, true);
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    assert.deepEqual(bot.commandLists.map((l: any) => l.scopes).flat().sort(), ['groupChat', 'personal', 'team']);
  });

  it('puts the configurable tab in the meeting side panel, chat and details, and the call history and queue dashboard in personal tabs', async () => {
    const { manifest } = await buildAppPackage({ root: ROOT, envName: 'test', variables: VARIABLES, outDir });
    const [tab] = manifest.configurableTabs as any[];
    assert.equal(tab.configurationUrl, 'https://switchboard.example.com/tab/config');
    assert.equal(tab.canUpdateConfiguration, true);
    assert.deepEqual([...tab.scopes].sort(), ['groupChat', 'team']);
    assert.deepEqual([...tab.context].sort(), ['meetingChatTab', 'meetingDetailsTab', 'meetingSidePanel']);
    const [history, queues] = manifest.staticTabs as any[];
    assert.equal(history.entityId, 'calls');
    assert.equal(history.contentUrl, 'https://switchboard.example.com/tab/personal');
    assert.deepEqual(history.scopes, ['personal']);
    assert.equal(queues.entityId, 'queues');
    assert.equal(queues.contentUrl, 'https://switchboard.example.com/tab/queues');
    assert.deepEqual(queues.scopes, ['personal']);
    assert.deepEqual(manifest.defaultGroupCapability, { meetings: 'tab' });
    assert.deepEqual(manifest.validDomains, ['switchboard.example.com']);
    assert.deepEqual(manifest.webApplicationInfo, { id: VARIABLES.MicrosoftAppId, resource: `api://switchboard.example.com/${VARIABLES.MicrosoftAppId}` });
  });

  it('asks for exactly the resource-specific permissions the meeting features use (no media access)', async () => {
    const { manifest } = await buildAppPackage({ root: ROOT, envName: 'test', variables: VARIABLES, outDir });
    const rsc = (manifest.authorization as any).permissions.resourceSpecific as Array<{ name: string; type: string }>;
    assert.deepEqual(
      rsc.map((p) => `${p.name}/${p.type}`).sort(),
      ['Calls.JoinGroupCalls.Chat/Application', 'OnlineMeeting.ReadBasic.Chat/Application', 'OnlineMeetingParticipant.Read.Chat/Application'],
    );
  });

  it('refuses a manifest that still holds a placeholder, naming each field and variable, and writes nothing', async () => {
    const err = await refusal({ variables: { ...VARIABLES, MicrosoftAppId: undefined }, outDir });
    assert.equal(err.code, 'package/unfilled-placeholder');
    const named = err.problems.map((p) => `${p.path} ${p.variable}`);
    assert.ok(named.includes('bots[0].botId MicrosoftAppId'), named.join('; '));
    assert.ok(named.includes('webApplicationInfo.id MicrosoftAppId'));
    assert.ok(named.includes('webApplicationInfo.resource MicrosoftAppId'));
    assert.ok(!named.some((n) => n.includes('TEAMS_APP_ID')), 'only the missing variable is reported');
    assert.ok(!existsSync(join(outDir, 'appPackage.test.zip')));
    assert.ok(!existsSync(join(outDir, 'manifest.test.json')));
  });

  it('names the variable to set for a derived placeholder (PUBLIC_HOSTNAME comes from PUBLIC_BASE_URL)', async () => {
    const err = await refusal({ variables: { ...VARIABLES, PUBLIC_BASE_URL: undefined }, outDir });
    const domain = err.problems.find((p) => p.path === 'validDomains[0]');
    assert.equal(domain?.variable, 'PUBLIC_HOSTNAME');
    assert.match(domain!.message, /PUBLIC_BASE_URL/);
  });

  it('refuses a base URL that is not HTTPS', async () => {
    const err = await refusal({ variables: { ...VARIABLES, PUBLIC_BASE_URL: 'http://switchboard.example.com' }, outDir });
    assert.equal(err.code, 'package/invalid-variable');
    assert.equal(err.problems[0]!.variable, 'PUBLIC_BASE_URL');
  });

  it('refuses a manifest that fails the schema, naming each failing field', async () => {
    const manifestPath = manifestWith((m) => {
      m.accentColor = 'blue';
      m.bots[0].scopes = ['personal', 'everyone'];
      m.bots[0].supportsTeleport = true;
      delete m.developer.privacyUrl;
    });
    const err = await refusal({ manifestPath, outDir });
    assert.equal(err.code, 'package/schema-invalid');
    const paths = err.problems.map((p) => p.path);
    for (const field of ['accentColor', 'bots[0].scopes[1]', 'bots[0].supportsTeleport', 'developer.privacyUrl']) {
      assert.ok(paths.includes(field), `${field} is named among ${paths.join(', ')}`);
    }
    assert.ok(!existsSync(join(outDir, 'appPackage.test.zip')));
  });

  it('refuses a $schema that is not bundled rather than fetching it from the network', async () => {
    const manifestPath = manifestWith((m) => {
      m.$schema = 'https://example.com/teams/MicrosoftTeams.schema.json';
    });
    const err = await refusal({ manifestPath, outDir });
    assert.equal(err.code, 'package/schema-unavailable');
    assert.equal(err.problems[0]!.path, '$schema');
  });

  it('refuses icons of the wrong size, naming the icon field', async () => {
    copyFileSync(join(ROOT, 'appPackage', 'outline.png'), join(work, 'color.png'));
    copyFileSync(join(ROOT, 'appPackage', 'outline.png'), join(work, 'outline.png'));
    const err = await refusal({ iconsDir: work, outDir });
    assert.equal(err.code, 'package/icon-invalid');
    assert.deepEqual(err.problems.map((p) => p.path), ['icons.color']);
    assert.match(err.problems[0]!.message, /32×32: Teams needs 192×192/);
  });

  it('refuses an environment name that could leave the build folder', async () => {
    const err = await refusal({ envName: '../evil', outDir });
    assert.equal(err.code, 'package/invalid-env-name');
  });
});
