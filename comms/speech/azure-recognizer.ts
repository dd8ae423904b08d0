// Azure AI Speech, speech-to-text REST API for short audio (at most 60 s): the cloud recogniser, configured with the
// same key and region as Azure Speech synthesis. The reply is sent once and nothing of it is kept or logged.
import type { HttpTransport } from '../graph/http-transport.js';
import { RecognitionError, type Recognition, type RecognitionRequest, type SpeechRecognizer } from './recognition.js';
import { PROMPT_SAMPLE_RATE, readWavFormat } from './wav.js';

export interface AzureRecognizerOptions {
  key: string;
  region: string;
  transport: HttpTransport;
  /** Override for tests; default https://{region}.stt.speech.microsoft.com */
  endpoint?: string;
}

/** The short-audio API takes at most this much audio per request. */
export const AZURE_MAX_SECONDS = 60;

export function azureSpeechRecognizer(options: AzureRecognizerOptions): SpeechRecognizer {
  const endpoint = options.endpoint ?? `https://${options.region}.stt.speech.microsoft.com`;
  return {
    id: `azure:${options.region}`,
    supports: (language) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(language),
    async recognize(wav: Buffer, request: RecognitionRequest, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Recognition> {
      const format = readWavFormat(wav);
      if (!format || format.audioFormat !== 1 || format.channels !== 1 || format.bitsPerSample !== 16 || format.dataBytes === 0) {
        throw new RecognitionError('speech/unreadable-audio', 'The recording is not a mono 16-bit PCM WAV with audio in it.');
      }
      if (format.dataBytes / (format.sampleRate * 2) > AZURE_MAX_SECONDS) throw new RecognitionError('speech/unreadable-audio', `Azure's short-audio recognition takes at most ${AZURE_MAX_SECONDS} s.`);
      const url = `${endpoint}/speech/recognition/conversation/cognitiveservices/v1?language=${encodeURIComponent(azureLocale(request.language))}&format=detailed`;
      if (opts.signal?.aborted) throw new RecognitionError('speech/timeout', 'The recognition was cancelled.');
      const sent = options.transport
        .send({
          method: 'POST',
          url,
          headers: {
            'ocp-apim-subscription-key': options.key,
            'content-type': `audio/wav; codecs=audio/pcm; samplerate=${format.sampleRate || PROMPT_SAMPLE_RATE}`,
            accept: 'application/json',
            'user-agent': 'switchboard',
          },
          body: wav,
          timeoutMs: opts.timeoutMs ?? 15_000,
        })
        .catch((err: { code?: string; message?: string }) => {
          throw new RecognitionError(err.code === 'http/timeout' ? 'speech/timeout' : 'speech/recognition-failed', `Azure Speech could not be reached: ${err.message}`, err);
        });
      const res = await cancellable(sent, opts.signal);
      if (res.status === 401 || res.status === 403) {
        throw new RecognitionError('speech/recognizer-misconfigured', `Azure Speech refused the key (${res.status}): check AZURE_SPEECH_KEY and that AZURE_SPEECH_REGION is the resource's region.`);
      }
      if (res.status === 400) throw new RecognitionError('speech/unsupported-language', `Azure Speech refused the request (400): the language ${request.language} or the audio is not supported.`);
      if (res.status !== 200) throw new RecognitionError('speech/recognition-failed', `Azure Speech answered ${res.status}.`);
      let body: { RecognitionStatus?: string; DisplayText?: string; NBest?: Array<{ Confidence?: number; Display?: string; Lexical?: string }> };
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        throw new RecognitionError('speech/recognition-failed', 'Azure Speech answered with something that is not JSON.');
      }
      if (body.RecognitionStatus !== 'Success') {
        // NoMatch, InitialSilenceTimeout, BabbleTimeout: nothing understood. Error: the service failed.
        if (body.RecognitionStatus === 'Error') throw new RecognitionError('speech/recognition-failed', 'Azure Speech reported an error recognising the reply.');
        return { text: '', confidence: 0 };
      }
      const best = body.NBest?.[0];
      const text = best?.Display ?? body.DisplayText ?? '';
      return { text, confidence: typeof best?.Confidence === 'number' ? best.Confidence : text ? 1 : 0 };
    },
  };
}

/** A bare language gets the locale the service needs ("en" → "en-US"); a tag with a region goes as it is. */
function azureLocale(language: string): string {
  if (language.includes('-')) return language;
  const primary = language.toLowerCase();
  return DEFAULT_LOCALES[primary] ?? `${primary}-${primary.toUpperCase()}`;
}

const DEFAULT_LOCALES: Record<string, string> = {
  en: 'en-US', pt: 'pt-BR', zh: 'zh-CN', ja: 'ja-JP', ko: 'ko-KR', sv: 'sv-SE', da: 'da-DK', nb: 'nb-NO', cs: 'cs-CZ', el: 'el-GR', he: 'he-IL', hi: 'hi-IN', uk: 'uk-UA',
};

/** The request's answer, or `speech/timeout` as soon as the caller cancels (the request itself runs out on its own). */
function cancellable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new RecognitionError('speech/timeout', 'The recognition was cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
