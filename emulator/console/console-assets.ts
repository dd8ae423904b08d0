// The console's static files (HTML, JS, CSS under emulator/console/assets/), read once at start. They are not
// compiled, so from dist/ they are found next to the source tree, relative to this module.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EmulatorError } from '../emulator-error.js';

export interface ConsoleAsset {
  contentType: string;
  body: Buffer;
}

const FILES: Record<string, string> = {
  'console.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** Where the assets are: beside this module when run from source, or in the source tree when run from dist/. */
const CANDIDATES = ['./assets/', '../../../emulator/console/assets/'];

export function loadConsoleAssets(): Map<string, ConsoleAsset> {
  const dir = CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((d) => existsSync(`${d}console.html`));
  if (!dir) {
    throw new EmulatorError('emulator/console-assets-missing', `The console's files were not found (looked in ${CANDIDATES.join(', ')} relative to ${fileURLToPath(import.meta.url)}): run from a full checkout of the repository.`, 500);
  }
  const assets = new Map<string, ConsoleAsset>();
  for (const [name, contentType] of Object.entries(FILES)) assets.set(name, { contentType, body: readFileSync(`${dir}${name}`) });
  return assets;
}
