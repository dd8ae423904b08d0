// Builds the Teams app package from the one hand-edited manifest.json: fill the `${{VAR}}` placeholders, refuse a
// manifest with a placeholder left, a non-HTTPS base URL, a schema error or a wrong-sized icon (naming each field),
// then write appPackage/build/manifest.<env>.json and appPackage/build/appPackage.<env>.zip (manifest.json + the two
// icons at the zip root, as Teams requires). The zip is written with yazl: small, maintained, streaming, and it lets
// every entry carry a fixed timestamp, so the same inputs give the same bytes.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { validateManifestSchema } from './manifest-schema.js';
import { PackageError, type PackageProblem } from './package-error.js';
import { checkEnvName } from './package-variables.js';
import { DERIVED_VARIABLES, fillPlaceholders, manifestVariables, variableToSet } from './placeholders.js';
import { readPngHeader } from './png.js';

export interface BuildOptions {
  /** Repository root: manifest.json, appPackage/ and appPackage/build/ are found from here. */
  root: string;
  envName: string;
  variables: Record<string, string | undefined>;
  manifestPath?: string;
  iconsDir?: string;
  outDir?: string;
}

export interface BuiltPackage {
  manifest: Record<string, unknown>;
  manifestPath: string;
  zipPath: string;
  /** Names of the zip entries, in order. */
  entries: string[];
}

/** Sizes Teams requires (manifest schema: icons.color 192×192 full colour, icons.outline 32×32 white on transparent). */
export const ICON_SIZES = { color: 192, outline: 32 } as const;
const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');

export async function buildAppPackage(options: BuildOptions): Promise<BuiltPackage> {
  checkEnvName(options.envName);
  const manifestPath = options.manifestPath ?? join(options.root, 'manifest.json');
  const iconsDir = options.iconsDir ?? join(options.root, 'appPackage');
  const outDir = options.outDir ?? join(options.root, 'appPackage', 'build');

  const template = await readManifest(manifestPath);
  const variables = manifestVariables(options.variables);
  const { value: manifest, unfilled } = fillPlaceholders(template, variables);
  if (unfilled.length > 0) {
    throw new PackageError('package/unfilled-placeholder', unfilled.map(({ path, variable }) => ({
      path,
      variable,
      message: `${path} still holds \${{${variable}}}: ${describeMissing(variable, options.envName)}.`,
    })));
  }
  const variableProblems = checkVariables(template, variables);
  if (variableProblems.length > 0) throw new PackageError('package/invalid-variable', variableProblems);

  const schemaProblems = await validateManifestSchema(manifest);
  if (schemaProblems.length > 0) {
    throw new PackageError('package/schema-invalid', schemaProblems.map((p) => ({ ...p, message: `${p.message} (Teams app manifest schema ${String(manifest.manifestVersion)})` })));
  }

  const icons = await readIcons(manifest, iconsDir);
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  await mkdir(outDir, { recursive: true });
  const filledPath = join(outDir, `manifest.${options.envName}.json`);
  await writeFile(filledPath, manifestBytes);
  const zipPath = join(outDir, `appPackage.${options.envName}.zip`);
  const entries: Array<[string, Buffer]> = [['manifest.json', manifestBytes], ...icons];
  await writeZip(zipPath, entries);
  return { manifest, manifestPath: filledPath, zipPath, entries: entries.map(([name]) => name) };
}

async function readManifest(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PackageError('package/manifest-unreadable', [{ path, message: `${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).` }]);
  }
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('the top level is not an object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new PackageError('package/manifest-unreadable', [{ path, message: `${path} is not valid JSON: ${(err as Error).message}.` }]);
  }
}

function describeMissing(variable: string, envName: string): string {
  const derived = DERIVED_VARIABLES[variable];
  const where = `in env/.env.${envName}, .env or the environment`;
  return derived ? `it is ${derived.describe}: set ${variableToSet(variable)} ${where}` : `set ${variable} ${where}`;
}

/** Rules the schema cannot express: Teams loads tabs and the SSO resource only over HTTPS. */
function checkVariables(template: Record<string, unknown>, variables: Record<string, string | undefined>): PackageProblem[] {
  const uses = (name: string) => JSON.stringify(template).includes(`\${{${name}}}`);
  const base = variables.PUBLIC_BASE_URL;
  if (!base || !(uses('PUBLIC_BASE_URL') || uses('PUBLIC_HOSTNAME'))) return [];
  let url: URL | undefined;
  try {
    url = new URL(base);
  } catch {
    // reported below
  }
  if (!url || url.protocol !== 'https:' || url.search || url.hash || url.username) {
    return [{ path: 'PUBLIC_BASE_URL', variable: 'PUBLIC_BASE_URL', message: `PUBLIC_BASE_URL "${base}" must be a plain https:// address (Teams loads tabs and webhooks over HTTPS only): use your dev tunnel or host address.` }];
  }
  return [];
}

async function readIcons(manifest: Record<string, unknown>, iconsDir: string): Promise<Array<[string, Buffer]>> {
  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  const problems: PackageProblem[] = [];
  const out: Array<[string, Buffer]> = [];
  for (const kind of ['color', 'outline'] as const) {
    const name = icons[kind];
    const path = `icons.${kind}`;
    if (typeof name !== 'string' || name !== basename(name) || !name.toLowerCase().endsWith('.png')) {
      problems.push({ path, message: `${path} must name a PNG file in appPackage/ (it goes at the root of the zip), e.g. "${kind}.png".` });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(join(iconsDir, name));
    } catch {
      problems.push({ path, message: `${path} names ${name}, which is not in appPackage/: run npm run icons, or add the file.` });
      continue;
    }
    const header = readPngHeader(bytes);
    const size = ICON_SIZES[kind];
    if (!header) problems.push({ path, message: `${path} (${name}) is not a PNG file.` });
    else if (header.width !== size || header.height !== size) {
      problems.push({ path, message: `${path} (${name}) is ${header.width}×${header.height}: Teams needs ${size}×${size}.` });
    } else out.push([name, bytes]);
  }
  if (problems.length > 0) throw new PackageError('package/icon-invalid', problems);
  return out;
}

async function writeZip(path: string, entries: Array<[string, Buffer]>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name, { mtime: FIXED_MTIME, mode: 0o100644 });
  zip.end();
  const partial = `${path}.partial`;
  await pipeline(zip.outputStream, createWriteStream(partial));
  await rename(partial, path);
}
