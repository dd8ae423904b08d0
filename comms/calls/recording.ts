// Fetches a recordResponse recording into memory (never to disk: Graph API terms) with its recordingAccessToken,
// only from allow-listed HTTPS hosts, size-capped; the token is never logged and never sent anywhere else.
import { isIP } from 'node:net';
import type { HttpTransport } from '../graph/index.js';
import { CallError } from './call-error.js';

export interface RecordingDownloadOptions {
  transport: HttpTransport;
  recordingLocation: string;
  recordingAccessToken: string;
  /** Host names the recording may come from: exact (`media.example.com`) or dot-anchored wildcard (`*.example.com`). */
  allowedHosts: string[];
  /**
   * Loopback hosts (e.g. `127.0.0.1`, `localhost`) allowed for local mode only, over http or https. Empty in the cloud.
   * An entry may carry a port (`127.0.0.1:3979`) to allow only that port.
   */
  loopbackHosts?: string[];
  maxBytes?: number;
  timeoutMs?: number;
}

export interface Recording {
  audio: Buffer;
  contentType: string;
}

export const DEFAULT_MAX_RECORDING_BYTES = 16 * 1024 * 1024;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function notAllowed(why: string): CallError {
  return new CallError('calls/recording-host-not-allowed', `The recording location is not allowed: ${why}`);
}

function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
}

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function hostMatches(host: string, pattern: string): boolean {
  const p = pattern.trim().toLowerCase().replace(/\.$/, '');
  if (!p) return false;
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // ".example.com"
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return host === p;
}

/** Throws calls/recording-host-not-allowed unless the URL may be fetched with the recording token. */
export function checkRecordingLocation(location: string, allowedHosts: string[], loopbackHosts: string[] = []): URL {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw notAllowed('not an absolute URL');
  }
  if (url.username || url.password) throw notAllowed('credentials in the URL');
  const host = bareHost(url.hostname);
  const loopbackEntry = loopbackHosts.find((entry) => {
    const [h, port] = entry.toLowerCase().startsWith('[')
      ? [entry.slice(0, entry.indexOf(']') + 1), entry.slice(entry.indexOf(']') + 2) || undefined]
      : entry.split(':');
    return bareHost(h ?? '') === host && (port === undefined || port === url.port);
  });
  if (isLoopback(host)) {
    if (!loopbackEntry) throw notAllowed('loopback hosts are only allowed in local mode');
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw notAllowed('only http(s) is allowed');
    return url;
  }
  if (url.protocol !== 'https:') throw notAllowed('https is required');
  if (isIP(host) !== 0) throw notAllowed('IP-address hosts are not allowed');
  if (!allowedHosts.some((pattern) => hostMatches(host, pattern))) throw notAllowed(`host ${host} is not on the allowlist`);
  return url;
}

/** GET {recordingLocation} with `Authorization: Bearer {recordingAccessToken}` → the audio, in memory. */
export async function downloadRecording(options: RecordingDownloadOptions): Promise<Recording> {
  const url = checkRecordingLocation(options.recordingLocation, options.allowedHosts, options.loopbackHosts);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RECORDING_BYTES;
  if (!options.recordingAccessToken) throw new CallError('calls/recording-missing', 'The recording came without an access token');
  let res;
  try {
    res = await options.transport.send({
      method: 'GET',
      url: url.toString(),
      headers: { authorization: `Bearer ${options.recordingAccessToken}`, accept: 'application/octet-stream, audio/*' },
      timeoutMs: options.timeoutMs ?? 30_000,
    });
  } catch (err) {
    // The transport's message names method and origin only, never headers.
    throw new CallError('calls/recording-download-failed', `The recording could not be fetched from ${url.origin}: ${(err as Error).message}`, { cause: err });
  }
  // Redirects are not followed: the token must not travel to another host.
  if (res.status < 200 || res.status >= 300) {
    throw new CallError('calls/recording-download-failed', `The recording host ${url.origin} answered ${res.status}`, { status: 502 });
  }
  const declared = Number(res.headers['content-length']);
  if ((Number.isFinite(declared) && declared > maxBytes) || res.body.length > maxBytes) {
    throw new CallError('calls/recording-too-large', `The recording is larger than ${maxBytes} bytes`);
  }
  return { audio: Buffer.from(res.body), contentType: res.headers['content-type'] ?? 'application/octet-stream' };
}
