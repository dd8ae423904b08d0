// Reading and atomically writing the emulator's persisted secrets (private keys) in its data directory.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function ensureDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
}

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Write to a temporary sibling, then rename: a crash never leaves a half-written key behind. */
export async function writeAtomically(path: string, text: string, mode = 0o600): Promise<void> {
  const temp = join(path + '.' + randomBytes(4).toString('hex') + '.tmp');
  await writeFile(temp, text, { mode });
  await rename(temp, path);
}
