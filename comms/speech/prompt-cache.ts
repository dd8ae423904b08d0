// Prompt audio addressed by content hash: put a WAV in, get a stable id (and so a URL) out. Files live under one
// folder; an id is only ever 64 hex characters, so a request can never name anything else. With a shared store
// (distributed mode) each prompt is also kept there, so whichever instance Graph's media fetch lands on can serve it.
// (Prompts are Switchboard's own speech, never media from a call.)
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/index.js';

const SHARED_COLLECTION = 'prompt-audio';

const ID = /^[0-9a-f]{64}$/;

export class PromptCache {
  private readonly dir: string;
  private readonly memory = new Map<string, Buffer>();
  private readonly maxMemoryEntries: number;

  private readonly shared?: Store;

  constructor(dir: string, maxMemoryEntries = 256, shared?: Store) {
    this.dir = dir;
    this.maxMemoryEntries = maxMemoryEntries;
    this.shared = shared;
    mkdirSync(dir, { recursive: true });
  }

  static idFor(wav: Buffer): string {
    return createHash('sha256').update(wav).digest('hex');
  }

  static isId(value: string): boolean {
    return ID.test(value);
  }

  /** Stores a WAV under `id` (default: the hash of its bytes); returns the id. */
  async put(wav: Buffer, id = PromptCache.idFor(wav)): Promise<string> {
    if (!PromptCache.isId(id)) throw new Error('a prompt id is 64 lower-case hex characters');
    if (!this.memory.has(id)) {
      const file = join(this.dir, `${id}.wav`);
      await writeAtomically(file, wav);
      // Shared first, remembered after: a second put of the same prompt meanwhile must not hand out its id before
      // the other instances can serve it.
      await this.shared?.putIfAbsent(SHARED_COLLECTION, id, wav.toString('base64'));
      this.remember(id, wav);
    }
    return id;
  }

  async has(id: string): Promise<boolean> {
    return (await this.get(id)) !== undefined;
  }

  async get(id: string): Promise<Buffer | undefined> {
    if (!PromptCache.isId(id)) return undefined;
    const cached = this.memory.get(id);
    if (cached) return cached;
    try {
      const wav = await readFile(join(this.dir, `${id}.wav`));
      this.remember(id, wav);
      return wav;
    } catch {
      return this.fromShared(id);
    }
  }

  private async fromShared(id: string): Promise<Buffer | undefined> {
    const encoded = await this.shared?.get<string>(SHARED_COLLECTION, id);
    if (typeof encoded !== 'string') return undefined;
    const wav = Buffer.from(encoded, 'base64');
    // Atomically: a second request for the same prompt meanwhile would read a half-written file (a truncated WAV).
    await writeAtomically(join(this.dir, `${id}.wav`), wav);
    this.remember(id, wav);
    return wav;
  }

  private remember(id: string, wav: Buffer): void {
    if (this.memory.size >= this.maxMemoryEntries) {
      const oldest = this.memory.keys().next().value;
      if (oldest !== undefined) this.memory.delete(oldest);
    }
    this.memory.set(id, wav);
  }
}

/**
 * Written under a name of its own, then renamed into place: two writers of the same prompt (two apps sharing the
 * folder, or one app twice at once) never rename each other's half-written file away, and no reader sees one.
 */
async function writeAtomically(file: string, wav: Buffer): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, wav);
  await rename(temp, file);
}
