// Loads one of the tab's browser modules (tab/web, which tsc leaves to esbuild) into node for a unit test: esbuild
// bundles it in memory and it is imported from a data: URL. Only for modules without DOM dependencies.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function loadWebModule<T>(relativePath: string): Promise<T> {
  const result = await build({ absWorkingDir: ROOT, entryPoints: [relativePath], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent' });
  const code = result.outputFiles[0]!.text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as T;
}
