// The emulator's memory across restarts: what Microsoft's cloud would still know after the emulator stops and starts
// again is kept in one JSON file in its data folder — written atomically (a temporary file, then rename) a moment
// after each change and on close, read back on start. An unreadable file is set aside, never half-used.

import { rename, stat } from 'node:fs/promises';
import { readIfExists, writeAtomically } from '../keys/data-dir-files.js';
import type { EmulatorLogger } from '../emulator-options.js';

/** One piece of state: what to write, and how to take it back (restore returns how many items it kept). */
export interface StatePart {
  snapshot(): unknown;
  restore(value: unknown): number;
}

export const STATE_FILE_VERSION = 1;
/** A larger file is not read (it cannot be one this emulator wrote within its bounds). */
export const MAX_STATE_FILE_BYTES = 32 * 1024 * 1024;
const DEFAULT_DEBOUNCE_MS = 150;

export interface StateFileOptions {
  path: string;
  parts: Record<string, StatePart>;
  logger: EmulatorLogger;
  /** How long after a change the file is written (changes in between are written together). */
  debounceMs?: number;
}

export class StateFile {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private lastWritten: string | undefined;
  private closed = false;

  constructor(private readonly options: StateFileOptions) {}

  /** Reads the file (if any) into the parts; returns what each part kept. */
  async load(): Promise<Record<string, number>> {
    const { path, parts, logger } = this.options;
    const size = await stat(path).then((s) => s.size, () => undefined);
    if (size === undefined) return {};
    if (size > MAX_STATE_FILE_BYTES) return this.setAside(`it is ${size} bytes, more than ${MAX_STATE_FILE_BYTES}`);
    const text = await readIfExists(path);
    if (text === undefined) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return this.setAside(`it is not JSON (${(err as Error).message})`);
    }
    const file = parsed as { version?: unknown; parts?: unknown };
    if (!file || typeof file !== 'object' || file.version !== STATE_FILE_VERSION || !file.parts || typeof file.parts !== 'object') {
      return this.setAside(`it is not version ${STATE_FILE_VERSION} of the emulator's state`);
    }
    const restored: Record<string, number> = {};
    for (const [name, part] of Object.entries(parts)) {
      const value = (file.parts as Record<string, unknown>)[name];
      if (value === undefined) continue;
      try {
        restored[name] = part.restore(value);
      } catch (err) {
        logger.warn({ part: name, err: (err as Error).message }, 'emulator state: a part of the saved state could not be read and starts empty');
      }
    }
    this.lastWritten = text;
    return restored;
  }

  /** Something changed: the file is written shortly. */
  changed(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    this.timer.unref?.();
  }

  /** Writes now (if anything changed) and waits for every write under way. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.write();
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private write(): Promise<void> {
    // Writes run one after another, so the file always ends with the latest snapshot.
    this.writing = this.writing.then(async () => {
      let text: string;
      try {
        const parts: Record<string, unknown> = {};
        for (const [name, part] of Object.entries(this.options.parts)) parts[name] = part.snapshot();
        text = JSON.stringify({ version: STATE_FILE_VERSION, savedAt: new Date().toISOString(), parts });
      } catch (err) {
        this.options.logger.error({ err: (err as Error).message }, 'emulator state: the state could not be serialized');
        return;
      }
      if (sameParts(text, this.lastWritten)) return;
      try {
        await writeAtomically(this.options.path, text);
        this.lastWritten = text;
      } catch (err) {
        this.options.logger.error({ path: this.options.path, err: (err as Error).message }, 'emulator state: the state file could not be written (a restart will forget the latest changes)');
      }
    });
    return this.writing;
  }

  private async setAside(why: string): Promise<Record<string, number>> {
    const aside = `${this.options.path}.unreadable`;
    await rename(this.options.path, aside).catch(() => undefined);
    this.options.logger.warn({ path: this.options.path, setAsideAs: aside }, `emulator state: the saved state is not used because ${why}; the emulator starts with fresh state`);
    return {};
  }
}

/** Two files differ in more than their savedAt time. */
function sameParts(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const strip = (t: string) => t.replace(/"savedAt":"[^"]*",/, '');
  return strip(a) === strip(b);
}
