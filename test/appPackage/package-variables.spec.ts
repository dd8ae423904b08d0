// Where a package's variables come from (environment > env/.env.<name> > .env) and how placeholders are filled:
// inside JSON strings, with the path of every field left unfilled.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageError } from '../../appPackage/package-error.js';
import { readPackageVariables } from '../../appPackage/package-variables.js';
import { fillPlaceholders, manifestVariables } from '../../appPackage/placeholders.js';

describe('app package variables and placeholders', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'switchboard-vars-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads .env, then env/.env.<name> over it, then the environment over both', () => {
    writeFileSync(join(root, '.env'), 'A=from-dotenv\nB=from-dotenv\nC=from-dotenv\n');
    mkdirSync(join(root, 'env'));
    writeFileSync(join(root, 'env', '.env.dev'), 'B=from-dev\nC=from-dev\n');
    const { variables, files } = readPackageVariables(root, 'dev', { C: 'from-environment' });
    assert.deepEqual({ A: variables.A, B: variables.B, C: variables.C }, { A: 'from-dotenv', B: 'from-dev', C: 'from-environment' });
    assert.deepEqual(files, ['.env', join('env', '.env.dev')]);
  });

  it('works with no files at all', () => {
    assert.deepEqual(readPackageVariables(root, 'local', { X: '1' }).variables, { X: '1' });
  });

  const badNames = ['', '../x', 'a/b', '.hidden', 'x'.repeat(65), 'dev prod'];
  for (const name of badNames) {
    it(`refuses the environment name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…` : name)}`, () => {
      assert.throws(() => readPackageVariables(root, name, {}), (err: unknown) => err instanceof PackageError && err.code === 'package/invalid-env-name');
    });
  }

  it('derives PUBLIC_HOSTNAME from PUBLIC_BASE_URL (port kept) and drops the trailing slash', () => {
    const v = manifestVariables({ PUBLIC_BASE_URL: 'https://abc-3978.euw.devtunnels.ms:8443/' });
    assert.equal(v.PUBLIC_BASE_URL, 'https://abc-3978.euw.devtunnels.ms:8443');
    assert.equal(v.PUBLIC_HOSTNAME, 'abc-3978.euw.devtunnels.ms:8443');
  });

  it('never takes PUBLIC_HOSTNAME from the environment (it always follows PUBLIC_BASE_URL)', () => {
    assert.equal(manifestVariables({ PUBLIC_HOSTNAME: 'elsewhere.example.com' }).PUBLIC_HOSTNAME, undefined);
  });

  it('treats blank values as unset', () => {
    const { unfilled } = fillPlaceholders({ id: '${{TEAMS_APP_ID}}' }, manifestVariables({ TEAMS_APP_ID: '  ' }));
    assert.deepEqual(unfilled, [{ path: 'id', variable: 'TEAMS_APP_ID' }]);
  });

  it('fills inside strings, keeps other values, and reports each unfilled placeholder with its path', () => {
    const { value, unfilled } = fillPlaceholders(
      { a: 'x-${{ONE}}-${{TWO}}', list: [{ b: '${{TWO}}' }, 3, true, null], n: 1 },
      { ONE: '1' },
    );
    assert.deepEqual(value, { a: 'x-1-${{TWO}}', list: [{ b: '${{TWO}}' }, 3, true, null], n: 1 });
    assert.deepEqual(unfilled, [
      { path: 'a', variable: 'TWO' },
      { path: 'list[0].b', variable: 'TWO' },
    ]);
  });

  it('cannot break the JSON with a value: quotes and braces stay inside the string', () => {
    const { value } = fillPlaceholders({ name: '${{V}}' }, { V: '","injected":"1' });
    assert.deepEqual(Object.keys(value), ['name']);
    assert.equal(value.name, '","injected":"1');
  });
});
