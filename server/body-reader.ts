// The one request-body reader every route uses: JSON only (415 for anything else), identity or a bounded gzip/deflate
// inflate, the size limit counted on the bytes actually read and on the decoded bytes (413 the moment either passes
// it), strict UTF-8 and JSON (400), nesting capped (400), and no prototype keys kept. Nothing is ever written to disk.
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { Request, RequestHandler, Response } from 'restify';
import { dropPrototypeKeys, scanJsonText } from '../comms/runtime/json-text.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const MAX_JSON_DEPTH = 64;

export type BodyErrorCode =
  | 'http/unsupported-media-type'
  | 'http/unsupported-encoding'
  | 'http/payload-too-large'
  | 'http/invalid-utf8'
  | 'http/invalid-json'
  | 'http/json-too-deep'
  | 'http/body-aborted';

export class BodyError extends Error {
  readonly code: BodyErrorCode;
  readonly status: number;
  constructor(code: BodyErrorCode, status: number, message: string) {
    super(message);
    this.name = 'BodyError';
    this.code = code;
    this.status = status;
  }
}

export interface BodyLimits {
  /** Most bytes read from the wire and most bytes after decoding. */
  maxBytes: number;
  maxDepth?: number;
  /** Given the decoded bytes of a body that parsed. */
  keep?: (bytes: Buffer) => void;
}

const bodyBytes = new WeakMap<IncomingMessage, Buffer>();

/** The bytes (decoded) the body was parsed from, for a route whose jsonBody was asked to keep them. */
export function bodyBytesOf(req: IncomingMessage): Buffer | undefined {
  return bodyBytes.get(req);
}

/**
 * restify handler: reads the body into req.body (undefined when there is none), or answers the error and stops.
 * keepBytes: the bytes it was parsed from are kept too (bodyBytesOf), for a route that records them as they came.
 */
export function jsonBody(maxBytes = DEFAULT_BODY_LIMIT, maxDepth = MAX_JSON_DEPTH, options: { keepBytes?: boolean } = {}): RequestHandler[] {
  const handler: RequestHandler = (req: Request, res: Response, next) => {
    readJsonBody(req, { maxBytes, maxDepth, ...(options.keepBytes ? { keep: (bytes) => bodyBytes.set(req, bytes) } : {}) }).then(
      (body) => {
        req.body = body;
        next();
      },
      (err: unknown) => {
        const e = err instanceof BodyError ? err : new BodyError('http/body-aborted', 400, 'The request body could not be read.');
        // Whatever is still on the wire is discarded, never buffered; the connection is not reused.
        req.resume();
        res.setHeader('connection', 'close');
        res.send(e.status, { error: { code: e.code, message: e.message } });
        next(false);
      },
    );
  };
  return [handler];
}

const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** Reads and parses a JSON body within the limits; throws BodyError. */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const length = req.headers['content-length'];
  const type = req.headers['content-type'];
  const noBody = req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
  if (noBody && type === undefined) {
    req.resume();
    return undefined;
  }
  if (type === undefined || !JSON_TYPE.test(type.trim())) {
    throw new BodyError('http/unsupported-media-type', 415, 'Only application/json (UTF-8) request bodies are accepted.');
  }
  const decoder = inflaterFor(req.headers['content-encoding']);
  if (length !== undefined && Number(length) > limits.maxBytes) throw tooLarge(limits.maxBytes);

  const bytes = await readBounded(req, decoder, limits.maxBytes);
  if (bytes.length === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BodyError('http/invalid-utf8', 400, 'The request body is not valid UTF-8.');
  }
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const scan = scanJsonText(text, maxDepth);
  if (scan.depth > maxDepth) {
    throw new BodyError('http/json-too-deep', 400, `The request body nests deeper than ${maxDepth} levels.`);
  }
  let value: unknown;
  try {
    // A key can only spell a prototype name literally or through an escape: only then pay for the reviver.
    value = scan.mayHavePrototypeKeys ? JSON.parse(text, dropPrototypeKeys) : JSON.parse(text);
  } catch {
    throw new BodyError('http/invalid-json', 400, 'The request body is not valid JSON.');
  }
  limits.keep?.(bytes);
  return value;
}

function inflaterFor(header: string | undefined): Transform | undefined {
  const encoding = (header ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  throw new BodyError('http/unsupported-encoding', 415, 'Only identity, gzip and deflate request encodings are accepted.');
}

function tooLarge(maxBytes: number): BodyError {
  return new BodyError('http/payload-too-large', 413, `The request body is larger than ${maxBytes} bytes.`);
}

/** The decoded body, never more than maxBytes read from the wire nor maxBytes after inflating. */
function readBounded(req: IncomingMessage, inflater: Transform | undefined, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wire = 0;
    let decoded = 0;
    let settled = false;
    const finish = (err: BodyError | undefined) => {
      if (settled) return;
      settled = true;
      req.off('data', onWire);
      req.off('end', onWireEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (inflater) {
        inflater.off('data', onDecoded);
        inflater.destroy();
      }
      if (err) {
        chunks.length = 0;
        req.resume(); // discard the rest; the response closes the connection
        reject(err);
      } else {
        resolve(Buffer.concat(chunks, decoded));
      }
    };
    const onDecoded = (chunk: Buffer) => {
      decoded += chunk.length;
      if (decoded > maxBytes) return finish(tooLarge(maxBytes));
      chunks.push(chunk);
    };
    const onWire = (chunk: Buffer) => {
      wire += chunk.length;
      if (wire > maxBytes) return finish(tooLarge(maxBytes));
      if (inflater) inflater.write(chunk);
      else onDecoded(chunk);
    };
    const onWireEnd = () => {
      if (!inflater) return finish(undefined);
      inflater.end();
    };
    const onError = () => finish(new BodyError('http/body-aborted', 400, 'The request body could not be read.'));
    const onAborted = () => finish(new BodyError('http/body-aborted', 400, 'The request was aborted while its body was read.'));
    if (inflater) {
      inflater.on('data', onDecoded);
      inflater.on('end', () => finish(undefined));
      inflater.on('error', () => finish(new BodyError('http/invalid-json', 400, 'The request body is not valid for its Content-Encoding.')));
    }
    req.on('data', onWire);
    req.on('end', onWireEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
