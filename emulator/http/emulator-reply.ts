// The emulator's own JSON replies (control API, calling metadata, unknown routes): `{ error: { code, message } }`
// with stable codes, and JSON body parsing/validation that fails with those codes.

import type { z } from 'zod';
import { EmulatorError } from '../emulator-error.js';
import type { EmulatorRequest, HttpReply } from './http-types.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonReply(status: number, json: unknown, headers: Record<string, string> = {}): HttpReply {
  return { status, json, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers } };
}

export function emulatorErrorReply(err: EmulatorError): HttpReply {
  return jsonReply(err.status, { error: { code: err.code, message: err.message } });
}

export function emulatorStatusError(status: number): EmulatorError {
  if (status === 413) return new EmulatorError('emulator/payload-too-large', 'The request body is larger than the emulator accepts (4 MB).', 413);
  return new EmulatorError('emulator/injected-fault', `Fault injected by the emulator (status ${status}).`, status);
}

/** Parses the body as JSON; an empty body is `undefined`. */
export function parseJsonBody(request: EmulatorRequest): unknown {
  const text = request.rawBody.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new EmulatorError('emulator/invalid-json', `The request body is not valid JSON (${(err as Error).message}).`, 400);
  }
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
  throw new EmulatorError('emulator/invalid-body', `The request body is not valid: ${problems}.`, 400);
}
