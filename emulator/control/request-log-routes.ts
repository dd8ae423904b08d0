// Control routes for the request log: read entries after a sequence number, optionally under a path prefix; clear.

import { EmulatorError } from '../emulator-error.js';
import { jsonReply } from '../http/emulator-reply.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';
import type { RequestLog } from './request-log.js';

export function requestLogRoutes(log: RequestLog): ControlRoute[] {
  return [
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/requests`,
      description: 'Recorded requests (secrets redacted): ?since=<seq>&path=<prefix>&limit=<n> → { value: [...], lastSeq }.',
      handle: (request) => {
        const since = integerParam(request.query.get('since'), 'since', 0);
        const limit = integerParam(request.query.get('limit'), 'limit', 1);
        const pathPrefix = request.query.get('path') ?? undefined;
        return jsonReply(200, {
          value: log.list({ ...(since !== undefined ? { since } : {}), ...(limit !== undefined ? { limit } : {}), ...(pathPrefix ? { pathPrefix } : {}) }),
          lastSeq: log.lastSeq,
        });
      },
    },
    {
      method: 'DELETE',
      path: `${CONTROL_PREFIX}/requests`,
      description: 'Clear the request log (sequence numbers keep counting): { removed }.',
      handle: () => jsonReply(200, { removed: log.clear() }),
    },
  ];
}

function integerParam(value: string | null, name: string, min: number): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new EmulatorError('emulator/invalid-query', `Query parameter ${name} must be an integer ≥ ${min}, not '${value}'.`, 400);
  }
  return Number(value);
}
