// WAV (RIFF, PCM) encoding and checking for Graph prompts: playPrompt plays WAV only, mono, 16-bit, 16 kHz.

export const PROMPT_SAMPLE_RATE = 16_000;

export interface WavFormat {
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
}

/** 16-bit mono PCM samples (Int16Array) → a complete WAV file. */
export function encodeWav(samples: Int16Array, sampleRate = PROMPT_SAMPLE_RATE): Buffer {
  const dataBytes = samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16); // fmt chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  Buffer.from(samples.buffer, samples.byteOffset, dataBytes).copy(out, 44);
  return out;
}

/** Reads the format of a WAV file; undefined when it is not a readable RIFF/WAVE with fmt and data chunks. */
export function readWavFormat(file: Buffer): WavFormat | undefined {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let fmt: Omit<WavFormat, 'dataBytes'> | undefined;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= file.length) {
      fmt = {
        audioFormat: file.readUInt16LE(body),
        channels: file.readUInt16LE(body + 2),
        sampleRate: file.readUInt32LE(body + 4),
        bitsPerSample: file.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      return fmt ? { ...fmt, dataBytes: Math.min(size, file.length - body) } : undefined;
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}

export function isGraphPromptFormat(format: WavFormat | undefined): boolean {
  return !!format && format.audioFormat === 1 && format.channels === 1 && format.bitsPerSample === 16 && format.sampleRate === PROMPT_SAMPLE_RATE;
}

/** A soft sequence of sine tones (frequency Hz, duration ms), for stock prompts that need no synthesizer. */
export function toneSequence(tones: Array<[frequency: number, durationMs: number]>, sampleRate = PROMPT_SAMPLE_RATE): Int16Array {
  const total = tones.reduce((sum, [, ms]) => sum + Math.round((ms / 1000) * sampleRate), 0);
  const samples = new Int16Array(total);
  let offset = 0;
  for (const [frequency, ms] of tones) {
    const count = Math.round((ms / 1000) * sampleRate);
    const fade = Math.min(count / 2, sampleRate * 0.01);
    for (let i = 0; i < count; i += 1) {
      const envelope = Math.min(1, i / fade, (count - i) / fade);
      samples[offset + i] = frequency === 0 ? 0 : Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 9000 * envelope);
    }
    offset += count;
  }
  return samples;
}
