// The resampler behind every prompt (eSpeak NG's 22,050 Hz → Graph's 16,000 Hz) and every recording the local
// recogniser hears: a tone keeps its pitch and loudness, what the new rate cannot carry is filtered out instead of
// folding back as a false tone, silence and DC are kept exactly, lengths follow the ratio, and odd ratios (44.1 kHz,
// 8 kHz up, a prime rate without a table) work too.
import assert from 'node:assert/strict';
import { resampleInt16 } from '../../../comms/speech/resample.js';

function tone(hz: number, rate: number, seconds: number, amplitude = 10_000): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)));
}

/** The amplitude of `hz` in `samples` (a single-bin DFT over the middle, away from the edges). */
function amplitudeAt(samples: Int16Array, rate: number, hz: number): number {
  const from = Math.floor(samples.length * 0.2);
  const to = Math.floor(samples.length * 0.8);
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i += 1) {
    re += samples[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
    im += samples[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

describe('comms/speech resampleInt16', () => {
  it('22,050 → 16,000 Hz: a 1 kHz tone keeps its pitch and loudness; the length follows the ratio', () => {
    const out = resampleInt16(tone(1000, 22_050, 1), 22_050, 16_000);
    assert.equal(out.length, 16_000);
    const kept = amplitudeAt(out, 16_000, 1000);
    assert.ok(Math.abs(kept - 10_000) < 100, `1 kHz at ${kept.toFixed(0)} of 10,000`);
    assert.ok(amplitudeAt(out, 16_000, 1100) < 200, 'no energy moved to a neighbouring pitch');
  });

  it('filters out what 16 kHz cannot carry: a 10 kHz tone does not fold back to 6 kHz', () => {
    const out = resampleInt16(tone(10_000, 22_050, 1), 22_050, 16_000);
    // Naive decimation would alias 10 kHz to 16 − 10 = 6 kHz at nearly full amplitude.
    assert.ok(amplitudeAt(out, 16_000, 6000) < 50, `6 kHz alias at ${amplitudeAt(out, 16_000, 6000).toFixed(0)}`);
    // Speech up to 6 kHz passes at full loudness.
    const six = amplitudeAt(resampleInt16(tone(6000, 22_050, 1), 22_050, 16_000), 16_000, 6000);
    assert.ok(six > 9_800, `6 kHz at ${six.toFixed(0)} of 10,000`);
  });

  it('keeps silence silent and a constant level constant, and returns the input itself at the same rate', () => {
    assert.ok(resampleInt16(new Int16Array(22_050), 22_050, 16_000).every((v) => v === 0));
    const level = resampleInt16(new Int16Array(22_050).fill(1234), 22_050, 16_000);
    assert.ok(level.slice(100, -100).every((v) => v === 1234), 'DC gain exactly one away from the edges');
    const same = new Int16Array([1, 2, 3]);
    assert.equal(resampleInt16(same, 16_000, 16_000), same);
  });

  it('converts 44.1 kHz down, 8 kHz up and a prime rate (no table) with the tone intact, and clips instead of wrapping', () => {
    for (const rate of [44_100, 8000, 22_051]) {
      const out = resampleInt16(tone(500, rate, 0.5), rate, 16_000);
      assert.equal(out.length, Math.round(rate * 0.5 * 16_000 / rate));
      const kept = amplitudeAt(out, 16_000, 500);
      assert.ok(Math.abs(kept - 10_000) < 200, `${rate} Hz: 500 Hz at ${kept.toFixed(0)}`);
    }
    const loud = resampleInt16(Int16Array.from({ length: 2000 }, (_, i) => (Math.floor(i / 50) % 2 === 0 ? 32_767 : -32_768)), 22_050, 16_000);
    // A full-scale square wave overshoots (Gibbs): clipped to the 16-bit range, never wrapped to the other sign.
    assert.ok(loud.includes(32_767) && loud.includes(-32_768), 'the overshoot is clipped at both ends of the range');
    assert.throws(() => resampleInt16(new Int16Array(1), 0, 16_000), RangeError);
  });
});
