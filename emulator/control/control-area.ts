// The control API's URL space (/emulator…): plain JSON, no authentication (loopback only), never faulted or
// recorded. GET /emulator lists every control route from the same table that serves them.

import { EmulatorError } from '../emulator-error.js';
import { emulatorErrorReply, emulatorStatusError, jsonReply } from '../http/emulator-reply.js';
import type { EmulatorRequest, HttpReply, RouteParams } from '../http/http-types.js';
import type { Area } from '../http/request-pipeline.js';
import { RouteTable } from '../http/route-table.js';

export const CONTROL_PREFIX = '/emulator';

export interface ControlRoute {
  method: string;
  /** Full path, e.g. `/emulator/faults/:id`. */
  path: string;
  /** One line for the index; mention the body shape where there is one. */
  description: string;
  handle(request: EmulatorRequest, params: RouteParams): HttpReply | Promise<HttpReply>;
}

export interface ControlIndexInfo {
  url: string;
  tenantId: string;
  authorityUrl: string;
  graphUrl: string;
  callingOpenIdMetadataUrl: string;
}

export function createControlArea(routes: ControlRoute[], info: ControlIndexInfo): Area {
  const index: ControlRoute = {
    method: 'GET',
    path: CONTROL_PREFIX,
    description: 'This index: the control API routes and where the emulated services are.',
    handle: () => jsonReply(200, {
      name: 'Switchboard emulator',
      ...info,
      routes: all.map((r) => ({ method: r.method, path: r.path.replace(/:(\w+)/g, '{$1}'), description: r.description })),
    }),
  };
  const health: ControlRoute = {
    method: 'GET',
    path: `${CONTROL_PREFIX}/health`,
    description: 'Liveness: { status: "ok" }.',
    handle: () => jsonReply(200, { status: 'ok' }),
  };
  const all = [index, health, ...routes];
  const table = new RouteTable<ControlRoute>();
  for (const route of all) table.add(route.method, route.path, route);

  return {
    name: 'control',
    observed: false,
    owns: (path) => path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`),
    headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
    statusReply: (_request, status) => emulatorErrorReply(emulatorStatusError(status)),
    async handle(request) {
      const match = table.resolve(request.method, request.path);
      try {
        if (match.kind === 'not-found') throw new EmulatorError('emulator/not-found', `No control route ${request.method} ${request.path}: see GET ${CONTROL_PREFIX} for the list.`, 404);
        if (match.kind === 'method-not-allowed') throw new EmulatorError('emulator/method-not-allowed', `${request.method} is not allowed on ${request.path} (allowed: ${match.allowed.join(', ')}).`, 405);
        return await match.handler.handle(request, match.params);
      } catch (err) {
        if (err instanceof EmulatorError) return emulatorErrorReply(err);
        throw err;
      }
    },
  };
}
