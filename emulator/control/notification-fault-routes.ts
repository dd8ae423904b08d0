// Control routes for faults on calling notifications (duplicate, drop, delay, reorder), separate from the HTTP
// faults on the emulator's own endpoints.

import { z } from 'zod';
import type { NotificationFaults } from '../calls/notification-faults.js';
import { jsonReply, parseJsonBody, parseWith } from '../http/emulator-reply.js';
import { CONTROL_PREFIX, type ControlRoute } from './control-area.js';

const faultSchema = z
  .strictObject({
    match: z.strictObject({ callId: z.string().min(1).optional(), resource: z.string().min(1).optional(), state: z.string().min(1).max(40).optional(), tone: z.boolean().optional() }).default({}),
    count: z.number().int().min(1).default(1),
    action: z.enum(['duplicate', 'drop', 'delay', 'reorder']),
    delayMs: z.number().int().min(0).max(600_000).optional(),
  })
  .refine((f) => f.action !== 'delay' || f.delayMs !== undefined, { message: 'delay needs delayMs' })
  .refine((f) => f.action === 'delay' || f.delayMs === undefined, { message: 'delayMs is only for action delay' });

export function notificationFaultRoutes(faults: NotificationFaults): ControlRoute[] {
  const path = `${CONTROL_PREFIX}/notification-faults`;
  return [
    {
      method: 'POST',
      path,
      description: 'Fault the next calling notifications: { match?: { callId?, resource? (part of resourceUrl), state? (the reported call state), tone? (key presses only) }, count?=1, action: duplicate|drop|delay|reorder, delayMs? } → 201 the fault. reorder swaps with the next notification of the same call.',
      handle: (request) => {
        const spec = parseWith(faultSchema, parseJsonBody(request));
        const match = {
          ...(spec.match.callId ? { callId: spec.match.callId } : {}),
          ...(spec.match.resource ? { resource: spec.match.resource } : {}),
          ...(spec.match.state ? { state: spec.match.state } : {}),
          ...(spec.match.tone !== undefined ? { tone: spec.match.tone } : {}),
        };
        return jsonReply(201, faults.add({ match, count: spec.count, action: spec.action, ...(spec.delayMs !== undefined ? { delayMs: spec.delayMs } : {}) }));
      },
    },
    {
      method: 'GET',
      path,
      description: 'Active notification faults with their remaining counts: { value: [...] }.',
      handle: () => jsonReply(200, { value: faults.list() }),
    },
    {
      method: 'DELETE',
      path,
      description: 'Remove every notification fault: { removed }.',
      handle: () => jsonReply(200, { removed: faults.clear() }),
    },
  ];
}
