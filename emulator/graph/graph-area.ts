// The Graph URL space (/v1.0, and /beta for the routes that say so): checks the bearer token first, resolves the route,
// checks the route's permissions (application roles or delegated scopes, any one suffices), then runs the handler.
// Later routes register here.

import type { EmulatorRequest, HttpReply, RouteParams } from '../http/http-types.js';
import { headerValue } from '../http/http-types.js';
import type { Area } from '../http/request-pipeline.js';
import { RouteTable } from '../http/route-table.js';
import type { GraphPrincipal, GraphTokenValidator } from './graph-auth.js';
import { GraphError, graphErrorReply, graphHeaders, graphReply, graphStatusError } from './graph-error.js';

export const GRAPH_VERSION_PREFIX = '/v1.0';
export const GRAPH_BETA_PREFIX = '/beta';
export type GraphVersion = 'v1.0' | 'beta';

/** The permissions that allow a route: a token needs at least one of the listed roles (app) or scopes (delegated). */
export interface GraphPermissions {
  application: readonly string[];
  delegated: readonly string[];
}

export interface GraphContext {
  request: EmulatorRequest;
  params: RouteParams;
  principal: GraphPrincipal;
  /** e.g. https://127.0.0.1:3979/v1.0 (or …/beta when the request came in on beta) */
  graphUrl: string;
  version: GraphVersion;
}

export interface GraphResult {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface GraphRoute {
  method: string;
  /** Relative to /v1.0, e.g. `/users/:id`. */
  path: string;
  permissions: GraphPermissions;
  /** Also served under /beta (with the same handler; GraphContext.version says which one was asked). */
  beta?: boolean;
  handle(context: GraphContext): GraphResult | Promise<GraphResult>;
}

export interface GraphArea extends Area {
  register(route: GraphRoute): void;
}

export function createGraphArea(validator: GraphTokenValidator, graphUrl: string): GraphArea {
  const routes = new RouteTable<GraphRoute>();
  const betaRoutes = new RouteTable<GraphRoute>();
  const betaUrl = graphUrl.replace(/\/v1\.0$/, GRAPH_BETA_PREFIX);

  async function dispatch(request: EmulatorRequest): Promise<HttpReply> {
    const principal = await validator.validate(headerValue(request, 'authorization'));
    request.appId = principal.appId;

    const version: GraphVersion = isUnder(request.path, GRAPH_BETA_PREFIX) ? 'beta' : 'v1.0';
    const prefix = version === 'beta' ? GRAPH_BETA_PREFIX : GRAPH_VERSION_PREFIX;
    const match = (version === 'beta' ? betaRoutes : routes).resolve(request.method, request.path.slice(prefix.length));
    if (match.kind === 'not-found') throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${match.unknownSegment}'.`);
    if (match.kind === 'method-not-allowed') throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');

    const route = match.handler;
    if (!isPermitted(principal, route.permissions)) {
      throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
    const result = await route.handle({ request, params: match.params, principal, graphUrl: version === 'beta' ? betaUrl : graphUrl, version });
    return graphReply(request, result.status, result.json, result.headers);
  }

  return {
    name: 'graph',
    observed: true,
    owns: (path) => isUnder(path, GRAPH_VERSION_PREFIX) || isUnder(path, GRAPH_BETA_PREFIX),
    headers: graphHeaders,
    statusReply: (request, status) => graphErrorReply(request, graphStatusError(status)),
    register: (route) => {
      routes.add(route.method, route.path, route);
      if (route.beta) betaRoutes.add(route.method, route.path, route);
    },
    async handle(request) {
      try {
        return await dispatch(request);
      } catch (err) {
        if (err instanceof GraphError) return graphErrorReply(request, err);
        throw err;
      }
    },
  };
}

function isUnder(path: string, prefix: string): boolean {
  const lower = path.toLowerCase();
  return lower === prefix || lower.startsWith(`${prefix}/`);
}

function isPermitted(principal: GraphPrincipal, permissions: GraphPermissions): boolean {
  const granted = principal.kind === 'application' ? principal.roles : principal.scopes;
  const allowed = principal.kind === 'application' ? permissions.application : permissions.delegated;
  return granted.some((g) => allowed.some((a) => a.toLowerCase() === g.toLowerCase()));
}
