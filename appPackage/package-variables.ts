// The variables a package is built with: the environment wins over env/.env.<name>, which wins over .env — so one
// checkout can build packages for several environments (local, dev, prod) with the app's own .env as the base.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { PackageError } from './package-error.js';

export const DEFAULT_ENV_NAME = 'local';
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface PackageVariables {
  variables: Record<string, string | undefined>;
  /** The files that were read, for the report. */
  files: string[];
}

export function checkEnvName(name: string): void {
  if (!ENV_NAME.test(name)) {
    throw new PackageError('package/invalid-env-name', [{ path: '--env', message: `--env "${name}" is not an environment name: use letters, digits, - and _ (e.g. dev, prod).` }]);
  }
}

export function readPackageVariables(root: string, envName: string, environment: Record<string, string | undefined>): PackageVariables {
  checkEnvName(envName);
  const files: string[] = [];
  const read = (path: string): Record<string, string> => {
    if (!existsSync(join(root, path))) return {};
    files.push(path);
    return parse(readFileSync(join(root, path)));
  };
  const base = read('.env');
  const named = read(join('env', `.env.${envName}`));
  return { variables: { ...base, ...named, ...environment }, files };
}
