// Prompt audio as the media service accepts it (WAV: RIFF/WAVE, PCM, mono, 16-bit, 16 kHz — Graph's mediaInfo page)
// and the recordings recordResponse hands back in the same format (what the person said, or a quiet 440 Hz tone).

export const PROMPT_SAMPLE_RATE = 16_000;

export type WavCheck =
  | { ok: true; durationSeconds: number }
  | { ok: false; problem: string };

export function checkPromptWav(bytes: Buffer): WavCheck {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    return { ok: false, problem: 'not a WAV file (no RIFF/WAVE header)' };
  }
  let offset = 12;
  let format: { audioFormat: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return { ok: false, problem: 'truncated fmt chunk' };
      format = {
        audioFormat: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) return { ok: false, problem: 'data chunk before the fmt chunk' };
      const problem = formatProblem(format);
      if (problem) return { ok: false, problem };
      const dataBytes = Math.min(size, bytes.length - body);
      return { ok: true, durationSeconds: dataBytes / (PROMPT_SAMPLE_RATE * 2) };
    }
    offset = body + size + (size % 2);
  }
  return { ok: false, problem: format ? 'no data chunk' : 'no fmt chunk' };
}

function formatProblem(f: { audioFormat: number; channels: number; sampleRate: number; bitsPerSample: number }): string | undefined {
  if (f.audioFormat !== 1) return `audio format ${f.audioFormat} is not PCM (1)`;
  if (f.channels !== 1) return `${f.channels} channels (mono is required)`;
  if (f.bitsPerSample !== 16) return `${f.bitsPerSample}-bit samples (16-bit is required)`;
  if (f.sampleRate !== PROMPT_SAMPLE_RATE) return `${f.sampleRate} Hz (16000 Hz is required)`;
  return undefined;
}

/** A PCM WAV (16 kHz, mono, 16-bit) of the given length: a quiet 440 Hz tone, standing in for the caller's voice. */
export function toneWav(seconds: number, sampleRate = PROMPT_SAMPLE_RATE, channels = 1, bitsPerSample = 16): Buffer {
  const samples = Math.max(1, Math.round(seconds * sampleRate));
  const bytesPerSample = bitsPerSample / 8;
  const buf = wavWithHeader(samples * channels * bytesPerSample, sampleRate, channels, bitsPerSample);
  if (bitsPerSample === 16) {
    for (let i = 0; i < samples; i++) {
      const value = toneSample(i, sampleRate);
      for (let c = 0; c < channels; c++) buf.writeInt16LE(value, 44 + (i * channels + c) * 2);
    }
  }
  return buf;
}

/** The same quiet 440 Hz tone as samples (16 kHz), for a recording that mixes it with speech. */
export function toneSamples(seconds: number): Int16Array {
  const samples = new Int16Array(Math.max(1, Math.round(seconds * PROMPT_SAMPLE_RATE)));
  for (let i = 0; i < samples.length; i++) samples[i] = toneSample(i, PROMPT_SAMPLE_RATE);
  return samples;
}

/** 16 kHz mono 16-bit samples as a PCM WAV file (RIFF header + data). */
export function pcmWav(samples: Int16Array): Buffer {
  const buf = wavWithHeader(samples.length * 2, PROMPT_SAMPLE_RATE, 1, 16);
  for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i]!, 44 + i * 2);
  return buf;
}

function toneSample(i: number, sampleRate: number): number {
  return Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 3000);
}

/** A zeroed WAV buffer of 44 header bytes (RIFF, fmt PCM, data) + dataBytes. */
function wavWithHeader(dataBytes: number, sampleRate: number, channels: number, bitsPerSample: number): Buffer {
  const bytesPerSample = bitsPerSample / 8;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  buf.writeUInt16LE(channels * bytesPerSample, 32);
  buf.writeUInt16LE(bitsPerSample, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  return buf;
}
