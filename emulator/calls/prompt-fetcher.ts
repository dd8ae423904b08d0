// Fetches a prompt's media the way the media service does (GET the mediaInfo uri; http only to 127.0.0.1) and checks
// it is a WAV the service can play; returns the playback length or why it cannot be played — and, when the server
// says what the prompt says (an X-Prompt-Text header, URI-encoded, as Switchboard's local mode sends), the words for
// the console and the call's view. A prompt given a resourceId is cached under it (mediaInfo: "If passed in, the
// prompt uri is [cached] against this resourceId as a key"): played again, it is not fetched again. Graph does not say
// for how long; here the MAX_CACHED most recently played stay (all apps together), and only media that could be played.

import { Agent, request } from 'undici';
import { isAllowedServiceUrl } from './local-urls.js';
import { checkPromptWav } from './wav-audio.js';

export type PromptMedia =
  | { ok: true; durationSeconds: number; text?: string }
  | { ok: false; kind: 'unreachable' | 'format'; problem: string };

const MAX_PROMPT_BYTES = 32 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;
const MAX_TEXT = 500;
/** Prompts kept by resourceId (all apps together), least recently played dropped first. */
const MAX_CACHED = 512;

/** Whose prompt it is and the resourceId it came with: the cache key (one app's ids never answer for another's). */
export interface PromptCacheKey {
  appId: string;
  resourceId: string;
}

export class PromptFetcher {
  private readonly agent = new Agent({ connect: { timeout: 5_000 } });
  private readonly cached = new Map<string, Extract<PromptMedia, { ok: true }>>();

  async fetch(uri: string, signal: AbortSignal, cacheKey?: PromptCacheKey): Promise<PromptMedia> {
    const key = cacheKey ? `${cacheKey.appId}\n${cacheKey.resourceId}` : undefined;
    const hit = key === undefined ? undefined : this.cached.get(key);
    if (key !== undefined && hit) {
      // Most recently played last: Map keeps insertion order, so the first key is the one to drop.
      this.cached.delete(key);
      this.cached.set(key, hit);
      return hit;
    }
    const media = await this.download(uri, signal);
    if (key !== undefined && media.ok) {
      this.cached.set(key, media);
      if (this.cached.size > MAX_CACHED) this.cached.delete(this.cached.keys().next().value!);
    }
    return media;
  }

  private async download(uri: string, signal: AbortSignal): Promise<PromptMedia> {
    if (!isAllowedServiceUrl(uri)) return { ok: false, kind: 'unreachable', problem: `the media service does not fetch ${safeUrl(uri)}: only https URIs (or http on 127.0.0.1)` };
    let bytes: Buffer;
    let text: string | undefined;
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
      text = promptText(res.headers['x-prompt-text']);
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
    if (!wav.ok) return { ok: false, kind: 'format', problem: wav.problem };
    return { ok: true, durationSeconds: wav.durationSeconds, ...(text ? { text } : {}) };
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

/** The header's words: decoded, plain text only, bounded; undefined for anything else. */
function promptText(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > MAX_TEXT * 12) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(header);
  } catch {
    return undefined;
  }
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_TEXT);
  return text || undefined;
}

/** The URI without query string (prompt URIs may carry signatures). */
function safeUrl(uri: string): string {
  return uri.split('?')[0]!;
}
