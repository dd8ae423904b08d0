// A faint, steady hiss under a recording before PocketSphinx hears it. Synthetic or very clean audio has stretches of
// digital silence (exact zeros) that throw off the recogniser's noise and cepstral-mean estimates; a real telephone
// line always carries some noise. Pink noise about 25 dB below the speech made eSpeak NG sentences land on the right
// intent far more often (measured: test/comms/speech/spoken-chain.spec.ts) and does nothing to real, noisy audio.
// Deterministic: the same recording always sounds the same to the recogniser.

/** Noise level against the RMS of the speech (samples louder than SPEECH_LEVEL). */
const RELATIVE_LEVEL = 0.115;
const SPEECH_LEVEL = 500;
/** When there is no speech at all (silence, a hum below SPEECH_LEVEL): a fixed, very low level. */
const QUIET_LEVEL = 60;

export function addComfortNoise(samples: Int16Array): Int16Array {
  let energy = 0;
  let count = 0;
  for (const s of samples) {
    if (Math.abs(s) > SPEECH_LEVEL) {
      energy += s * s;
      count += 1;
    }
  }
  const amplitude = count > 0 ? Math.sqrt(energy / count) * RELATIVE_LEVEL : QUIET_LEVEL;
  const out = new Int16Array(samples.length);
  let seed = 0x2545f491;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < samples.length; i += 1) {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    const white = seed / 0x7fffffff - 0.5;
    // Paul Kellet's economy pink filter: three one-pole stages.
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    const pink = b0 + b1 + b2 + white * 0.1848;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! + pink * amplitude)));
  }
  return out;
}
