// What a prompt says reaches the emulator console in local mode only (issue 18, item 10): the prompts route adds
// X-Prompt-Text (URI-encoded, bounded) when it knows the words, the emulator keeps them on the call's prompt, and the
// cloud's route never sends them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import restify from 'restify';
import { request } from 'undici';
import { PromptCache } from '../../comms/speech/index.js';
import { MAX_PROMPT_TEXT_HEADER, registerPromptsRoute } from '../../server/prompts-route.js';
import { toneWav } from '../../emulator/calls/wav-audio.js';
import { act, dial } from '../e2e/people.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';

describe('server: prompt text for the emulator console', function () {
  this.timeout(60_000);

  describe('local mode', () => {
    let app: LocalSwitchboard;
    before(async () => {
      app = await startLocalSwitchboard();
    });
    after(async () => app?.stop());

    it('serves a spoken prompt with its words in X-Prompt-Text, and the emulator keeps them on the call', async () => {
      const ref = await app.prompts.speak('Press 1 to confirm, 2 to snooze — ça va?');
      const res = await request(ref.uri);
      await res.body.arrayBuffer();
      assert.equal(res.statusCode, 200);
      assert.equal(decodeURIComponent(String(res.headers['x-prompt-text'])), 'Press 1 to confirm, 2 to snooze — ça va?');

      const callId = await dial(app, 'amara');
      await eventually(async () => (await app.emulatorJson('GET', `/emulator/calls/${callId}`)).body.prompts?.[0]?.text, 'the front desk menu with its words', 20_000);
      const prompt = (await app.emulatorJson('GET', `/emulator/calls/${callId}`)).body.prompts[0];
      assert.match(prompt.text, /^Thank you for calling Switchboard\./);
      await act(app, callId, 'hangup', { person: 'amara.okafor@switchboard.test' });
    });

    it('bounds the header: a long text is cut to its first characters', async () => {
      const ref = await app.prompts.speak('word '.repeat(200).trim());
      const res = await request(ref.uri);
      await res.body.arrayBuffer();
      assert.equal(decodeURIComponent(String(res.headers['x-prompt-text'])).length, MAX_PROMPT_TEXT_HEADER);
    });
  });

  it('without the local-mode lookup (cloud) the route sends no words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-prompts-'));
    const server = restify.createServer();
    try {
      const cache = new PromptCache(dir);
      const id = await cache.put(toneWav(0.2));
      registerPromptsRoute(server, cache);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const res = await request(`http://127.0.0.1:${(server.address() as { port: number }).port}/prompts/${id}.wav`);
      await res.body.arrayBuffer();
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-prompt-text'], undefined);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
