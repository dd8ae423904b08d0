// How a caller sounds: the local AFINN analyser hears upset callers and leaves topic words alone; Azure AI Language
// is asked the documented way (against a local stand-in, never Microsoft) and its answers and refusals are mapped;
// understand() puts intent and sentiment together and survives a failing analyser without logging the words.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpTransport } from '../../../comms/graph/index.js';
import { azureSentiment, localSentiment, SAMPLE_INTENTS, understand, UnderstandingError, type SentimentAnalyzer } from '../../../comms/understanding/index.js';
import { INTENT_SENTENCES, UNKNOWN_SENTENCES, UPSET_SENTENCES } from '../../support/spoken-sentences.js';

describe('comms/understanding sentiment', () => {
  describe('local (AFINN-165)', () => {
    const local = localSentiment();
    for (const sentence of UPSET_SENTENCES) {
      it(`negative: "${sentence}"`, async () => assert.equal((await local.analyze(sentence, 'en-US')).sentiment, 'negative'));
    }
    it('the 24 topic sentences are neutral: "charged", "error", "broken", "cancelled" name a topic, not a mood', async () => {
      for (const sentence of [...Object.values(INTENT_SENTENCES).flat(), ...UNKNOWN_SENTENCES]) {
        assert.equal((await local.analyze(sentence, 'en-US')).sentiment, 'neutral', sentence);
      }
    });
    it('small scores are neutral ("want" is +1 in AFINN); clear ones are not', async () => {
      assert.deepEqual(await local.analyze('I want billing', 'en-US'), { sentiment: 'neutral', score: 0 });
      assert.equal((await local.analyze('thank you so much, that is great', 'en-GB')).sentiment, 'positive');
    });
    it('negation flips a word: "not happy" is negative', async () => {
      const result = await local.analyze('I am not happy with this', 'en');
      assert.equal(result.sentiment, 'negative');
      assert.ok(result.score < 0 && result.score >= -1);
    });
    it('other languages are neutral (the lexicon is English)', async () => {
      assert.deepEqual(await local.analyze('Das ist eine Katastrophe, ich bin wütend', 'de-DE'), { sentiment: 'neutral', score: 0 });
    });
    it('keeps the score within −1 … +1', async () => {
      const furious = await local.analyze('terrible awful horrible useless ridiculous unacceptable, the worst, I hate it', 'en-US');
      assert.equal(furious.score, -1);
    });
  });

  describe('Azure AI Language', () => {
    let answer: { status: number; body: unknown };
    const seen: Array<{ url: string; headers: IncomingHttpHeaders; body: any }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url!, headers: req.headers, body: JSON.parse(body) });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      });
    });
    const transport = createHttpTransport();
    let azure: SentimentAnalyzer;
    before(async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      azure = azureSentiment({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, key: 'the-key', transport });
    });
    after(async () => {
      await transport.close();
      server.close();
    });
    const documents = (sentiment: string, positive: number, neutral: number, negative: number) => ({
      kind: 'SentimentAnalysisResults',
      results: { documents: [{ id: '1', sentiment, confidenceScores: { positive, neutral, negative }, sentences: [] }], errors: [], modelVersion: '2022-11-01' },
    });

    it('sends one SentimentAnalysis document to :analyze-text with the key, and reads the answer', async () => {
      answer = { status: 200, body: documents('negative', 0.02, 0.08, 0.9) };
      assert.deepEqual(await azure.analyze('your service is terrible', 'en-US'), { sentiment: 'negative', score: -0.88 });
      const request = seen.at(-1)!;
      assert.equal(request.url, '/language/:analyze-text?api-version=2023-04-01');
      assert.equal(request.headers['ocp-apim-subscription-key'], 'the-key');
      assert.deepEqual(request.body, { kind: 'SentimentAnalysis', parameters: { modelVersion: 'latest' }, analysisInput: { documents: [{ id: '1', language: 'en', text: 'your service is terrible' }] } });
    });
    it('sends the language Azure knows (de-DE → de, zh-TW → zh-hant) and maps "mixed" by its stronger side', async () => {
      answer = { status: 200, body: documents('mixed', 0.1, 0.2, 0.7) };
      assert.equal((await azure.analyze('…', 'de-DE')).sentiment, 'negative');
      assert.equal(seen.at(-1)!.body.analysisInput.documents[0].language, 'de');
      answer = { status: 200, body: documents('mixed', 0.4, 0.2, 0.4) };
      assert.equal((await azure.analyze('…', 'zh-TW')).sentiment, 'neutral');
      assert.equal(seen.at(-1)!.body.analysisInput.documents[0].language, 'zh-hant');
    });
    const failures: Array<[string, { status: number; body: unknown }, string, RegExp?]> = [
      ['a refused key (401)', { status: 401, body: {} }, 'understanding/sentiment-misconfigured', /AZURE_LANGUAGE_KEY/],
      ['a missing key (403)', { status: 403, body: {} }, 'understanding/sentiment-misconfigured', /AZURE_LANGUAGE_KEY/],
      ['a wrong endpoint (404)', { status: 404, body: {} }, 'understanding/sentiment-misconfigured', /AZURE_LANGUAGE_ENDPOINT/],
      ['a server error (500)', { status: 500, body: {} }, 'understanding/sentiment-failed'],
      ['an answer that is not JSON', { status: 200, body: '<html>' }, 'understanding/sentiment-failed'],
      ['a document error', { status: 200, body: { results: { documents: [], errors: [{ id: '1', error: { code: 'InvalidArgument' } }] } } }, 'understanding/sentiment-failed'],
    ];
    for (const [what, reply, code, message] of failures) {
      it(`${what}: ${code}`, async () => {
        answer = reply;
        await assert.rejects(azure.analyze('hello', 'en-US'), (err: UnderstandingError) => err.code === code && (!message || message.test(err.message)));
      });
    }
    it('nobody answering: understanding/sentiment-unavailable', async () => {
      const nowhere = azureSentiment({ endpoint: 'http://127.0.0.1:9', key: 'k', transport, timeoutMs: 2000 });
      await assert.rejects(nowhere.analyze('hello', 'en-US'), (err: UnderstandingError) => err.code === 'understanding/sentiment-unavailable');
    });
  });

  describe('understand()', () => {
    it('gives the intent, its confidence and the sentiment', async () => {
      const result = await understand('I think I was charged twice on my last invoice', SAMPLE_INTENTS, { language: 'en-US', sentiment: localSentiment() });
      assert.equal(result.intent, 'billing');
      assert.ok(result.confidence > 0.5);
      assert.equal(result.sentiment, 'neutral');
      const upset = await understand(UPSET_SENTENCES[0]!, SAMPLE_INTENTS, { language: 'en-US', sentiment: localSentiment() });
      assert.equal(upset.intent, undefined);
      assert.equal(upset.sentiment, 'negative');
      assert.ok(upset.sentimentScore < 0);
    });
    it('a failing analyser: the intent still counts, sentiment is neutral, and the log has the code but not the words', async () => {
      const lines: string[] = [];
      const log = (obj: object, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? ''));
      const failing: SentimentAnalyzer = { id: 'broken', analyze: async () => { throw new UnderstandingError('understanding/sentiment-failed', 'Azure AI Language answered HTTP 500', { status: 500 }); } };
      const result = await understand('my headset stopped working', SAMPLE_INTENTS, { language: 'en-US', sentiment: failing, logger: { debug: log, info: log, warn: log, error: log } });
      assert.deepEqual(result, { intent: 'support', confidence: result.confidence, sentiment: 'neutral', sentimentScore: 0 });
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /understanding\/sentiment-failed/);
      assert.doesNotMatch(lines[0]!, /headset|stopped|working/);
    });
    it('nothing said: no intent, neutral, and the analyser is not asked', async () => {
      let asked = 0;
      const counting: SentimentAnalyzer = { id: 'c', analyze: async () => { asked += 1; return { sentiment: 'negative', score: -1 }; } };
      assert.deepEqual(await understand('  ', SAMPLE_INTENTS, { language: 'en-US', sentiment: counting }), { confidence: 0, sentiment: 'neutral', sentimentScore: 0 });
      assert.equal(asked, 0);
    });
  });
});
