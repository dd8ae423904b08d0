// Who will hear spoken replies: Azure AI Speech when its key is set (checked with one second of silence — a wrong
// key or region answers 401), otherwise Debian's PocketSphinx, whose absence makes menus that listen take keys only.
import { azureSpeechRecognizer, encodeWav, pocketsphinxInstalled, RecognitionError, type PocketsphinxOptions } from '../../../comms/speech/index.js';
import type { Config } from '../../config.js';
import type { DoctorEnvironment } from '../doctor-environment.js';
import { fail, pass, warn, type Finding } from '../finding.js';

export async function checkSpeechRecognizer(env: Pick<DoctorEnvironment, 'transport'>, config: Pick<Config, 'speech'>, local: PocketsphinxOptions = {}): Promise<Finding> {
  const azure = config.speech.azure;
  if (azure) {
    try {
      await azureSpeechRecognizer({ key: azure.key, region: azure.region, transport: env.transport }).recognize(encodeWav(new Int16Array(16_000)), { language: 'en-US', phrases: [] }, { timeoutMs: 10_000 });
      return pass('speech', `Azure AI Speech (${azure.region}) hears spoken replies`);
    } catch (err) {
      const code = err instanceof RecognitionError ? err.code : 'speech/recognition-failed';
      if (code === 'speech/recognizer-misconfigured') return fail('speech', 'doctor/speech-key-refused', 'Azure AI Speech refused the key', 'Check AZURE_SPEECH_KEY and that AZURE_SPEECH_REGION is the Speech resource\'s region.');
      return warn('speech', 'doctor/speech-unreachable', `Azure AI Speech could not be checked (${code})`, 'Check the network path to <region>.stt.speech.microsoft.com; menus take keys when recognition fails.');
    }
  }
  const installed = pocketsphinxInstalled(local);
  if (installed.ok) return pass('speech', 'PocketSphinx (US English) hears spoken replies');
  return warn('speech', 'doctor/recognizer-missing', `PocketSphinx is not installed (${installed.missing} is missing): menus that listen take keys only`, 'Install it with `sudo apt-get install pocketsphinx pocketsphinx-en-us`, or set AZURE_SPEECH_KEY and AZURE_SPEECH_REGION.');
}
