// Control routes for fault injection: create (POST), list with remaining counts (GET), clear all or one (DELETE).

import { z } from 'zod';
import { EmulatorError } from '../emulator-error.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';
import type { FaultInjector } from './fault-injector.js';

const faultSchema = z
  .strictObject({
    match: z.strictObject({
      method: z.string().regex(/^[A-Za-z]+$/, 'an HTTP method such as GET or POST').optional(),
      path: z.string().startsWith('/', 'a path starting with /, e.g. /v1.0/users or /v1.0/communications/*'),
    }),
    count: z.number().int().min(1).default(1),
    status: z.number().int().min(200).max(599).optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    body: z.record(z.string(), z.unknown()).optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    reset: z.boolean().optional(),
    afterProcessing: z.boolean().optional(),
  })
  .refine((f) => f.status !== undefined || f.delayMs !== undefined || f.reset === true, { message: 'give at least one of status, delayMs or reset' })
  .refine((f) => !(f.reset && f.status !== undefined), { message: 'reset drops the connection, so it cannot be combined with status' })
  .refine((f) => !f.afterProcessing || (f.status === undefined && (f.reset === true || f.delayMs !== undefined)), { message: 'afterProcessing applies to delayMs or reset (a status replaces the processing)' })
  .refine((f) => f.status !== undefined || (f.body === undefined && f.retryAfterSeconds === undefined), { message: 'body and retryAfterSeconds need a status' })
  .refine((f) => !f.match.path.startsWith(CONTROL_PREFIX), { message: `faults do not apply to the control API (${CONTROL_PREFIX}…)` });

export function faultRoutes(faults: FaultInjector): ControlRoute[] {
  return [
    {
      method: 'POST',
      path: `${CONTROL_PREFIX}/faults`,
      description: 'Inject a fault: { match: { method?, path (exact, or prefix ending in *) }, count?=1, status?, retryAfterSeconds?, body?, delayMs?, reset?, afterProcessing? } → 201 the fault.',
      handle: (request) => {
        const spec = parseWith(faultSchema, parseJsonBody(request));
        const { method, path } = spec.match;
        const fault = faults.add({ ...spec, match: method ? { method, path } : { path } } as Parameters<FaultInjector['add']>[0]);
        return jsonReply(201, fault);
      },
    },
    {
      method: 'GET',
      path: `${CONTROL_PREFIX}/faults`,
      description: 'Active faults with their remaining counts: { value: [...] }.',
      handle: () => jsonReply(200, { value: faults.list() }),
    },
    {
      method: 'DELETE',
      path: `${CONTROL_PREFIX}/faults`,
      description: 'Remove every fault: { removed }.',
      handle: () => jsonReply(200, { removed: faults.clear() }),
    },
    {
      method: 'DELETE',
      path: `${CONTROL_PREFIX}/faults/:id`,
      description: 'Remove one fault: 204, or 404 emulator/unknown-fault.',
      handle: (_request, params) => {
        if (!faults.remove(params.id!)) throw new EmulatorError('emulator/unknown-fault', `There is no active fault '${params.id}' (it may have been used up): GET ${CONTROL_PREFIX}/faults lists them.`, 404);
        return { status: 204 };
      },
    },
  ];
}
