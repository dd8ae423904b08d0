// `npm run package [-- --env <name>]`: builds appPackage/build/appPackage.<name>.zip from manifest.json and the
// variables (environment > env/.env.<name> > .env; default name "local"), or says which fields stop it and exits 1.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildAppPackage } from './app-package.js';
import { PackageError } from './package-error.js';
import { DEFAULT_ENV_NAME, readPackageVariables } from './package-variables.js';

function envNameFrom(args: string[]): string {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--env') return args[i + 1] ?? '';
    if (arg.startsWith('--env=')) return arg.slice('--env='.length);
  }
  return DEFAULT_ENV_NAME;
}

async function main(): Promise<void> {
  const root = process.cwd();
  const envName = envNameFrom(process.argv.slice(2));
  try {
    const { variables, files } = readPackageVariables(root, envName, process.env);
    const built = await buildAppPackage({ root, envName, variables });
    process.stdout.write(
      [
        `✔ Teams app package for "${envName}" (variables from ${[...files, 'the environment'].join(', ')})`,
        `  ${relative(root, built.zipPath)}  (${built.entries.join(', ')})`,
        `  ${relative(root, built.manifestPath)}`,
        '  Upload the zip in Teams (Apps › Manage your apps › Upload an app) or the Teams admin centre.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    if (err instanceof PackageError) {
      process.stderr.write(`✖ ${err.message}\n${firstTimeHint(root, envName, err)}`);
      process.exit(1);
    }
    throw err;
  }
}

/** Unfilled placeholders and no env file yet: most likely a first run, so say which file to make and what goes in. */
function firstTimeHint(root: string, envName: string, err: PackageError): string {
  if (err.code !== 'package/unfilled-placeholder') return '';
  const missing = [...new Set(err.problems.flatMap((p) => (p.variable ? [p.variable === 'PUBLIC_HOSTNAME' ? 'PUBLIC_BASE_URL' : p.variable] : [])))];
  const file = join('env', `.env.${envName}`);
  const make = existsSync(join(root, file))
    ? `Set ${missing.join(', ')} in ${file}`
    : existsSync(join(root, 'env', '.env.local.example'))
      ? `Start with: cp env/.env.local.example ${file}, then set ${missing.join(', ')} in it`
      : `Create ${file} with ${missing.join(', ')}`;
  return `\n${make} (README › Cloud setup, step 7). They never switch npm start into cloud mode.\n`;
}

void main();
