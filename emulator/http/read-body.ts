// Reads a request body into memory up to a size limit. Past the limit the rest is drained and discarded (so the
// client still gets the 413 answer), and a runaway upload is cut off.

import type { IncomingMessage } from 'node:http';

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large'; bytes: number };

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const hardLimit = limitBytes * 16;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > hardLimit) {
      req.destroy();
      return { kind: 'too-large', bytes };
    }
    if (bytes <= limitBytes) chunks.push(chunk);
  }
  return bytes > limitBytes ? { kind: 'too-large', bytes } : { kind: 'ok', body: Buffer.concat(chunks) };
}
