// A small method + path-pattern router (`/users/:id`); literal segments match case-insensitively, as Graph and
// Entra do. Tells "no such path" (with the first unknown segment) apart from "path exists, wrong method".

import type { RouteParams } from './http-types.js';

export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: RouteParams }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found'; unknownSegment: string };

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export class RouteTable<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler });
    return this;
  }

  resolve(method: string, path: string): RouteMatch<H> {
    const segments = splitPath(path);
    const allowed: string[] = [];
    let deepest = 0;
    for (const route of this.routes) {
      const { params, matched } = matchSegments(route.segments, segments);
      deepest = Math.max(deepest, matched);
      if (!params) continue;
      if (route.method === method.toUpperCase()) return { kind: 'found', handler: route.handler, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0) return { kind: 'method-not-allowed', allowed };
    return { kind: 'not-found', unknownSegment: safeDecode(segments[deepest] ?? '') };
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** `matched` = how many leading segments agreed, to name the first unknown one. */
function matchSegments(pattern: string[], actual: string[]): { params?: RouteParams; matched: number } {
  const params: RouteParams = {};
  let matched = 0;
  for (; matched < Math.min(pattern.length, actual.length); matched++) {
    const p = pattern[matched]!;
    const a = actual[matched]!;
    if (p.startsWith(':')) params[p.slice(1)] = safeDecode(a);
    else if (p.toLowerCase() !== a.toLowerCase()) return { matched };
  }
  return pattern.length === actual.length ? { params, matched } : { matched };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
