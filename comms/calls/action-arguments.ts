// Checks on the plain values callers pass to call operations, run before anything is sent to Graph:
// a failure is CallError('calls/invalid-argument') and no request leaves the process.
import { CallError } from './call-error.js';
import { GRAPH_ID_PATTERN } from './graph-shapes.js';

export const MAX_CLIENT_CONTEXT = 256;

export function invalidArgument(message: string): CallError {
  return new CallError('calls/invalid-argument', message);
}

export function checkId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !GRAPH_ID_PATTERN.test(value)) {
    throw invalidArgument(`${what} must be a Graph id (letters, digits, - _ . : @; at most 200 characters)`);
  }
  return value;
}

export function checkClientContext(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > MAX_CLIENT_CONTEXT) {
    throw invalidArgument(`clientContext must be a string of at most ${MAX_CLIENT_CONTEXT} characters`);
  }
  return value;
}

export function checkInt(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${what} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function checkCount(list: unknown, what: string, min: number, max: number): unknown[] {
  if (!Array.isArray(list) || list.length < min || list.length > max) {
    throw invalidArgument(`${what} must be a list of ${min === max ? min : `${min} to ${max}`} item${max === 1 ? '' : 's'}`);
  }
  return list;
}

export function checkHttpsUrl(value: unknown, what: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalidArgument(`${what} must be an absolute URL`);
  }
  if (typeof value !== 'string' || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw invalidArgument(`${what} must be an http(s) URL`);
  }
  return value;
}

export function checkText(value: unknown, what: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max || /[\u0000-\u001f]/.test(value)) {
    throw invalidArgument(`${what} must be text of at most ${max} characters`);
  }
  return value;
}

export function callPath(callId: string, ...rest: string[]): string {
  return ['/communications/calls', encodeURIComponent(checkId(callId, 'callId')), ...rest].join('/');
}
