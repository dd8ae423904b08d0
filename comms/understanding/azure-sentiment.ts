// Sentiment from Azure AI Language (`:analyze-text`, kind SentimentAnalysis, API 2023-04-01, GA) when
// AZURE_LANGUAGE_ENDPOINT and AZURE_LANGUAGE_KEY are set. The text is sent for analysis and nothing of it is kept here.
import { UnderstandingError, type SentimentAnalyzer, type SentimentLabel } from './sentiment.js';

/** The slice of comms/graph's HttpTransport this needs (kept structural: this room imports only comms/runtime). */
export interface SentimentTransport {
  send(req: { method: string; url: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number }): Promise<{ status: number; body: Buffer }>;
}

export interface AzureSentimentOptions {
  /** The Language resource's endpoint, e.g. https://contoso-language.cognitiveservices.azure.com */
  endpoint: string;
  key: string;
  transport: SentimentTransport;
  /** Per request (default 5 s): a slow answer must not hold the caller on the line. */
  timeoutMs?: number;
}

const API_VERSION = '2023-04-01';
/** The service refuses longer documents (5,120 characters, synchronous requests). */
const MAX_CHARS = 5120;

interface AnalyzeTextAnswer {
  results?: {
    documents?: Array<{ sentiment?: string; confidenceScores?: { positive?: number; neutral?: number; negative?: number } }>;
    errors?: Array<{ error?: { code?: string; message?: string } }>;
  };
}

export function azureSentiment(options: AzureSentimentOptions): SentimentAnalyzer {
  const url = `${options.endpoint.replace(/\/+$/, '')}/language/:analyze-text?api-version=${API_VERSION}`;
  return {
    id: 'azure-language',
    async analyze(text: string, language: string): Promise<{ sentiment: SentimentLabel; score: number }> {
      const body = JSON.stringify({
        kind: 'SentimentAnalysis',
        parameters: { modelVersion: 'latest' },
        analysisInput: { documents: [{ id: '1', language: azureLanguage(language), text: text.slice(0, MAX_CHARS) }] },
      });
      const res = await options.transport
        .send({ method: 'POST', url, headers: { 'ocp-apim-subscription-key': options.key, 'content-type': 'application/json', accept: 'application/json' }, body, timeoutMs: options.timeoutMs ?? 5000 })
        .catch((err: unknown) => {
          throw new UnderstandingError('understanding/sentiment-unavailable', `Azure AI Language could not be reached: ${(err as Error).message}`, { cause: err });
        });
      if (res.status === 401 || res.status === 403) {
        throw new UnderstandingError('understanding/sentiment-misconfigured', `Azure AI Language refused the key (HTTP ${res.status}): check AZURE_LANGUAGE_KEY, and that AZURE_LANGUAGE_ENDPOINT is that key's resource.`, { status: res.status });
      }
      if (res.status === 404) {
        throw new UnderstandingError('understanding/sentiment-misconfigured', 'Azure AI Language answered 404: AZURE_LANGUAGE_ENDPOINT should be the resource\'s endpoint, e.g. https://<name>.cognitiveservices.azure.com.', { status: res.status });
      }
      if (res.status !== 200) throw new UnderstandingError('understanding/sentiment-failed', `Azure AI Language answered HTTP ${res.status}`, { status: res.status });
      let answer: AnalyzeTextAnswer;
      try {
        answer = JSON.parse(res.body.toString('utf8')) as AnalyzeTextAnswer;
      } catch (err) {
        throw new UnderstandingError('understanding/sentiment-failed', 'Azure AI Language answered something that is not JSON', { cause: err });
      }
      const doc = answer.results?.documents?.[0];
      if (!doc) {
        const code = answer.results?.errors?.[0]?.error?.code ?? 'no document';
        throw new UnderstandingError('understanding/sentiment-failed', `Azure AI Language did not analyse the reply (${code})`);
      }
      const positive = doc.confidenceScores?.positive ?? 0;
      const negative = doc.confidenceScores?.negative ?? 0;
      return { sentiment: label(doc.sentiment, positive, negative), score: Math.round((positive - negative) * 100) / 100 };
    },
  };
}

/** `mixed` leans to whichever side is clearly stronger; otherwise neutral. */
function label(sentiment: string | undefined, positive: number, negative: number): SentimentLabel {
  if (sentiment === 'positive' || sentiment === 'negative' || sentiment === 'neutral') return sentiment;
  if (negative >= 0.5 && negative > positive) return 'negative';
  if (positive >= 0.5 && positive > negative) return 'positive';
  return 'neutral';
}

/** Azure AI Language takes ISO 639-1 codes (a few with a script or region): en-US → en, zh-CN → zh-hans. */
function azureLanguage(language: string): string {
  const [primary = 'en', region] = language.toLowerCase().split('-');
  if (primary === 'zh') return region === 'tw' || region === 'hk' || region === 'hant' ? 'zh-hant' : 'zh-hans';
  if (primary === 'pt') return region === 'br' ? 'pt-BR' : 'pt-PT';
  return primary;
}
