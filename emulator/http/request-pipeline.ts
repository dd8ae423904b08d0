// What happens to every request: read the body (size-limited), apply an injected fault if one matches, hand the
// request to the area that owns its path, write the reply, and record the exchange in the request log.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorLogger } from '../emulator-options.js';
import type { Fault, FaultInjector } from '../control/fault-injector.js';
import { describeBody, describeQuery } from '../control/redaction.js';
import type { RequestLog } from '../control/request-log.js';
import type { EmulatorRequest, HttpReply } from './http-types.js';
import { readBody } from './read-body.js';

/** A part of the emulator's URL space (Graph, identity, calling, control), with its own reply conventions. */
export interface Area {
  readonly name: string;
  /** Faults apply to observed areas, and their requests are recorded (everything but the control API). */
  readonly observed: boolean;
  owns(path: string): boolean;
  /** Handles the request; must not throw for expected failures (render them), may throw for bugs. */
  handle(request: EmulatorRequest): Promise<HttpReply>;
  /** A reply in this area's style for a bare status: injected faults, the size limit, internal errors. */
  statusReply(request: EmulatorRequest, status: number): HttpReply;
  /** Headers the area puts on every reply (custom fault bodies get them too). */
  headers(request: EmulatorRequest): Record<string, string>;
}

export interface PipelineOptions {
  areas: Area[];
  faults: FaultInjector;
  requestLog: RequestLog;
  logger: EmulatorLogger;
  bodyLimitBytes: number;
  /** Aborted when the emulator closes: pending fault delays end by dropping their connection. */
  closing: AbortSignal;
}

export function createRequestListener(options: PipelineOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(options, req, res).catch((err: unknown) => {
      options.logger.error({ err: (err as Error).message, path: req.url?.split('?')[0] }, 'emulator request failed');
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: { code: 'emulator/internal', message: 'The emulator failed to handle the request.' } }));
      }
    });
  };
}

async function handle(options: PipelineOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const path = url.pathname;
  const area = options.areas.find((a) => a.owns(path)) ?? options.areas[options.areas.length - 1]!;
  const body = await readBody(req, options.bodyLimitBytes);
  const clientRequestIdHeader = req.headers['client-request-id'];
  const request: EmulatorRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: url.searchParams,
    headers: req.headers,
    rawBody: body.kind === 'ok' ? body.body : Buffer.alloc(0),
    requestId: randomUUID(),
    clientRequestId: (Array.isArray(clientRequestIdHeader) ? clientRequestIdHeader[0] : clientRequestIdHeader) || randomUUID(),
  };

  const fault = area.observed ? options.faults.take(request.method, path) : undefined;
  if (fault?.afterProcessing) {
    // The effect happens; only the answer is late or lost (what a client cannot tell apart from an unprocessed request).
    const processed = body.kind === 'too-large' ? area.statusReply(request, 413) : await handleSafely(options, area, request);
    if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal: options.closing }).catch(() => undefined);
    if (fault.reset || options.closing.aborted) {
      req.socket.destroy();
      record(options, area, request, { ...processed, status: 0 }, started, fault);
      return;
    }
    send(res, processed);
    record(options, area, request, processed, started, fault);
    return;
  }
  if (fault?.delayMs) {
    try {
      await sleep(fault.delayMs, undefined, { signal: options.closing });
    } catch {
      req.socket.destroy();
      return;
    }
  }
  if (fault?.reset) {
    req.socket.destroy();
    record(options, area, request, { status: 0 }, started, fault);
    return;
  }

  let reply: HttpReply;
  if (body.kind === 'too-large') reply = area.statusReply(request, 413);
  else if (fault?.status) reply = faultReply(area, request, fault);
  else reply = await handleSafely(options, area, request);

  send(res, reply);
  record(options, area, request, reply, started, fault);
}

async function handleSafely(options: PipelineOptions, area: Area, request: EmulatorRequest): Promise<HttpReply> {
  try {
    return await area.handle(request);
  } catch (err) {
    options.logger.error({ err: (err as Error).message, area: area.name, method: request.method, path: request.path }, 'emulator route failed');
    return area.statusReply(request, 500);
  }
}

function faultReply(area: Area, request: EmulatorRequest, fault: Fault): HttpReply {
  const status = fault.status!;
  const base = fault.body === undefined ? area.statusReply(request, status) : { status, json: fault.body, headers: area.headers(request) };
  const headers = { ...base.headers };
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  return { ...base, status, headers };
}

function send(res: ServerResponse, reply: HttpReply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name.toLowerCase()] = value;
  if (reply.stream) {
    res.writeHead(reply.status, headers);
    reply.stream(res);
    return;
  }
  if (reply.body !== undefined) {
    headers['content-length'] = String(reply.body.length);
    res.writeHead(reply.status, headers);
    res.end(reply.body);
    return;
  }
  let payload = '';
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    payload = reply.text;
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

function record(options: PipelineOptions, area: Area, request: EmulatorRequest, reply: HttpReply, started: number, fault?: Fault): void {
  if (!area.observed) return;
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const responseType = Object.entries(reply.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const responseText = reply.json !== undefined ? JSON.stringify(reply.json) : reply.body ?? reply.text;
  const entry = options.requestLog.record({
    time: new Date().toISOString(),
    method: request.method,
    path: request.path,
    query: describeQuery(request.query),
    status: reply.status,
    durationMs,
    ...(request.appId ? { appId: request.appId } : {}),
    ...(fault ? { faultId: fault.id } : {}),
    requestBody: describeBody(request.rawBody, request.headers['content-type']),
    responseBody: describeBody(responseText, responseType ?? (reply.json !== undefined ? 'application/json' : undefined)),
  });
  options.logger.info(
    { seq: entry.seq, method: entry.method, path: entry.path, status: entry.status, durationMs, appId: entry.appId, faultId: entry.faultId },
    'emulator request',
  );
}
