// Control routes for the calling service's event stream: live server-sent events for the console, and the recent
// events as JSON (bounded list) for tests and late joiners.

import type { ServerResponse } from 'node:http';
import type { CallingEvent } from '../calls/calling-events.js';
import type { CallsEngine } from '../calls/calls-engine.js';
import { EmulatorError } from '../emulator-error.js';
import { jsonReply } from '../http/emulator-reply.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const PING_MS = 15_000;

export function callingEventsRoutes(engine: CallsEngine): ControlRoute[] {
  return [
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/events`,
      description: 'Server-sent events of everything the calling service does (notifications and their answers, calls, prompts, people); ?since=<seq> replays recent ones first; ?type=<type>[,<type>…] only those types.',
      handle: (request) => {
        const since = sinceParam(request.query.get('since'));
        const types = typesParam(request.query.get('type'));
        return {
          status: 200,
          headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
          stream: (res: ServerResponse) => {
            const write = (event: CallingEvent) => {
              if (types && !types.has(event.type)) return;
              res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
            };
            res.write(': connected\n\n');
            if (since !== undefined) for (const event of engine.events.list(since)) write(event);
            const unsubscribe = engine.events.subscribe(write);
            const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
            ping.unref();
            res.on('close', () => {
              clearInterval(ping);
              unsubscribe();
            });
          },
        };
      },
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/events/recent`,
      description: 'Recent calling events (bounded list): ?since=<seq>&type=<type>&callId=<id> → { value: [...], lastSeq }.',
      handle: (request) => {
        const since = sinceParam(request.query.get('since')) ?? 0;
        const type = request.query.get('type') ?? undefined;
        const callId = request.query.get('callId') ?? undefined;
        const value = engine.events.list(since, type).filter((e) => callId === undefined || e.callId === callId);
        return jsonReply(200, { value, lastSeq: engine.events.lastSeq });
      },
    },
  ];
}

/** `a,b,c` → the set of those types; absent or empty → every type. */
function typesParam(value: string | null): Set<string> | undefined {
  const types = (value ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  return types.length > 0 ? new Set(types) : undefined;
}

function sinceParam(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new EmulatorError('emulator/invalid-query', `Query parameter since must be an integer ≥ 0, not '${value}'.`, 400);
  return Number(value);
}
