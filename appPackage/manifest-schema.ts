// Checks a filled manifest against the official Teams app manifest JSON schema, offline: @microsoft/app-manifest
// bundles every published schema version and `AppManifestUtils.validateAgainstSchema` loads the bundled copy named by
// `$schema`. It would fetch an unknown `$schema` from the network, so such a manifest is refused before it is asked.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { PackageError, type PackageProblem } from './package-error.js';

const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v\d+\.\d+|vDevPreview)\/MicrosoftTeams\.schema\.json$/;

/** The bundled schema file for a manifest's `$schema`, or undefined when the package does not ship it. */
export function bundledSchemaPath(schemaUrl: unknown): string | undefined {
  if (typeof schemaUrl !== 'string') return undefined;
  const version = SCHEMA_URL.exec(schemaUrl)?.[1];
  if (!version) return undefined;
  const packageDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest'));
  const path = join(packageDir, 'json-schemas', 'teams', version, 'MicrosoftTeams.schema.json');
  return existsSync(path) ? path : undefined;
}

/** One problem per failing field; empty when the manifest is valid. Throws PackageError when no schema is bundled. */
export async function validateManifestSchema(manifest: Record<string, unknown>): Promise<PackageProblem[]> {
  if (!bundledSchemaPath(manifest.$schema)) {
    throw new PackageError('package/schema-unavailable', [{
      path: '$schema',
      message: `$schema is ${JSON.stringify(manifest.$schema)}: use https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.schema.json (a version bundled with @microsoft/app-manifest, so validation runs offline).`,
    }]);
  }
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0]);
  return errors.map(toProblem);
}

/** ajv's "<instancePath> <message>. Details: <params>" → the field path and a readable message. */
function toProblem(error: string): PackageProblem {
  const match = /^(\S*) (.*?)\. Details: (.*)$/s.exec(error);
  if (!match) return { path: '(root)', message: `the manifest does not match the schema: ${error}` };
  const [, pointer = '', message = '', detailsText = ''] = match;
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(detailsText) as Record<string, unknown>;
  } catch {
    // keep the message without details
  }
  const parent = pointerToPath(pointer);
  const child = (name: string) => (parent ? `${parent}.${name}` : name);
  if (typeof details.missingProperty === 'string') {
    const path = child(details.missingProperty);
    return { path, message: `${path} is required but missing` };
  }
  if (typeof details.additionalProperty === 'string') {
    const path = child(details.additionalProperty);
    return { path, message: `${path} is not a field this manifest version allows` };
  }
  const path = parent || '(root)';
  const allowed = Array.isArray(details.allowedValues) ? ` (${details.allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '';
  return { path, message: `${path} ${message}${allowed}` };
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}
