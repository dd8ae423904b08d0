// GET /prompts/{id}.wav: prompt audio for Graph's media service to fetch. Only content-hash ids from the cache are
// served, so no request can reach any other file. Local mode also says what a spoken prompt says (X-Prompt-Text,
// URI-encoded), so the emulator console can show the words; the cloud never sends it.
import type { Server } from 'restify';
import { PromptCache } from '../comms/speech/index.js';

export const PROMPTS_PATH = '/prompts';

/** The most of a prompt's text the header carries. */
export const MAX_PROMPT_TEXT_HEADER = 500;

export function registerPromptsRoute(server: Server, cache: PromptCache, textOf?: (id: string) => string | undefined): void {
  server.get(`${PROMPTS_PATH}/:file`, async (req, res) => {
    const match = /^([0-9a-f]{64})\.wav$/.exec(String(req.params.file));
    const wav = match ? await cache.get(match[1]!) : undefined;
    if (!wav) {
      res.send(404, { error: { code: 'PromptNotFound', message: 'No prompt with that id.' } });
      return;
    }
    const text = textOf?.(match![1]!);
    res.writeHead(200, {
      'content-type': 'audio/wav',
      'content-length': wav.length,
      'cache-control': 'public, max-age=31536000, immutable',
      'access-control-allow-origin': '*',
      ...(text ? { 'x-prompt-text': encodeURIComponent(text.slice(0, MAX_PROMPT_TEXT_HEADER)) } : {}),
    });
    res.end(wav);
  });
}
