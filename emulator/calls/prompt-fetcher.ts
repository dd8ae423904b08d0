// Fetches a prompt's media the way the media service does (GET the mediaInfo uri; http only to 127.0.0.1) and checks
// it is a WAV the service can play; returns the playback length or why it cannot be played.

import { Agent, request } from 'undici';
import { isAllowedServiceUrl } from './local-urls.js';
import { checkPromptWav } from './wav-audio.js';

export type PromptMedia =
  | { ok: true; durationSeconds: number }
  | { ok: false; kind: 'unreachable' | 'format'; problem: string };

const MAX_PROMPT_BYTES = 32 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

export class PromptFetcher {
  private readonly agent = new Agent({ connect: { timeout: 5_000 } });

  async fetch(uri: string, signal: AbortSignal): Promise<PromptMedia> {
    if (!isAllowedServiceUrl(uri)) return { ok: false, kind: 'unreachable', problem: `the media service does not fetch ${safeUrl(uri)}: only https URIs (or http on 127.0.0.1)` };
    let bytes: Buffer;
    try {
      const res = await request(uri, {
        method: 'GET',
        dispatcher: this.agent,
        headers: { accept: 'audio/wav, */*' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]),
      });
      if (res.statusCode >= 300) {
        await res.body.dump().catch(() => undefined);
        return { ok: false, kind: 'unreachable', problem: `GET ${safeUrl(uri)} answered HTTP ${res.statusCode}` };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_PROMPT_BYTES) {
          res.body.destroy();
          return { ok: false, kind: 'format', problem: 'the prompt is larger than 32 MB' };
        }
        chunks.push(chunk as Buffer);
      }
      bytes = Buffer.concat(chunks);
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      return { ok: false, kind: 'unreachable', problem: `GET ${safeUrl(uri)} failed: ${(err as Error).message}` };
    }
    const wav = checkPromptWav(bytes);
    return wav.ok ? { ok: true, durationSeconds: wav.durationSeconds } : { ok: false, kind: 'format', problem: wav.problem };
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

/** The URI without query string (prompt URIs may carry signatures). */
function safeUrl(uri: string): string {
  return uri.split('?')[0]!;
}
