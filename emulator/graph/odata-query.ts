// The OData system query options the emulator understands on collections ($top, $select, $filter subset, $orderby,
// $skiptoken), parsed into plain values; anything outside the supported subset is a Graph-style 400.

import { GraphError } from './graph-error.js';

export type FilterClause =
  | { kind: 'eq'; property: string; value: string }
  | { kind: 'startswith'; property: string; value: string };

export interface CollectionQuery {
  top?: number;
  /** Canonical property names, in the order asked for. */
  select?: string[];
  filter?: FilterClause;
  orderBy?: { property: string; descending: boolean };
  skip: number;
}

export interface CollectionRules {
  /** Canonical names of every property $select may name. */
  selectable: readonly string[];
  /** Canonical names of string properties $filter (eq / startswith) may name. */
  filterable: readonly string[];
  orderable: readonly string[];
  maxTop: number;
}

const SUPPORTED_OPTIONS = new Set(['$top', '$select', '$filter', '$orderby', '$skiptoken']);
const STRING_LITERAL = "'((?:[^']|'')*)'";
const EQ_PATTERN = new RegExp(`^\\s*([A-Za-z]+)\\s+eq\\s+${STRING_LITERAL}\\s*$`, 'i');
const STARTSWITH_PATTERN = new RegExp(`^\\s*startswith\\(\\s*([A-Za-z]+)\\s*,\\s*${STRING_LITERAL}\\s*\\)\\s*$`, 'i');

export function parseCollectionQuery(query: URLSearchParams, rules: CollectionRules, entityType: string): CollectionQuery {
  for (const key of query.keys()) {
    if (key.startsWith('$') && !SUPPORTED_OPTIONS.has(key.toLowerCase())) {
      throw new GraphError(400, 'BadRequest', `Query option '${key}' is not supported by the emulator (supported: ${[...SUPPORTED_OPTIONS].join(', ')}).`);
    }
  }
  const get = (name: string): string | undefined => {
    for (const [key, value] of query) if (key.toLowerCase() === name) return value;
    return undefined;
  };

  const result: CollectionQuery = { skip: parseSkipToken(get('$skiptoken')) };
  const top = get('$top');
  if (top !== undefined) {
    const n = Number(top);
    if (!/^\d+$/.test(top.trim()) || n < 1 || n > rules.maxTop) {
      throw new GraphError(400, 'BadRequest', `Invalid page size specified: '${top}'. Must be between 1 and ${rules.maxTop} inclusive.`);
    }
    result.top = n;
  }
  const select = get('$select');
  if (select !== undefined) result.select = parseSelect(select, rules.selectable, entityType);
  const filter = get('$filter');
  if (filter !== undefined) result.filter = parseFilter(filter, rules.filterable);
  const orderBy = get('$orderby');
  if (orderBy !== undefined) result.orderBy = parseOrderBy(orderBy, rules.orderable);
  return result;
}

export function parseSelect(select: string, selectable: readonly string[], entityType: string): string[] {
  const names: string[] = [];
  for (const raw of select.split(',').map((s) => s.trim()).filter(Boolean)) {
    const canonical = canonicalName(raw, selectable);
    if (!canonical) throw new GraphError(400, 'BadRequest', `Could not find a property named '${raw}' on type '${entityType}'.`);
    if (!names.includes(canonical)) names.push(canonical);
  }
  return names;
}

function parseFilter(filter: string, filterable: readonly string[]): FilterClause {
  const eq = EQ_PATTERN.exec(filter);
  const startsWith = eq ? undefined : STARTSWITH_PATTERN.exec(filter);
  const found = eq ?? startsWith;
  const property = found ? canonicalName(found[1]!, filterable) : undefined;
  if (!found || !property) {
    throw new GraphError(400, 'BadRequest', `Invalid filter clause: the emulator supports "<property> eq '<value>'" and "startswith(<property>,'<value>')" on ${filterable.join(', ')}.`);
  }
  const value = found[2]!.replace(/''/g, "'");
  return eq ? { kind: 'eq', property, value } : { kind: 'startswith', property, value };
}

function parseOrderBy(orderBy: string, orderable: readonly string[]): { property: string; descending: boolean } {
  const match = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  const property = match ? canonicalName(match[1]!, orderable) : undefined;
  if (!match || !property) throw new GraphError(400, 'BadRequest', `Invalid $orderby: the emulator supports one of ${orderable.join(', ')}, optionally followed by asc or desc.`);
  return { property, descending: match[2]?.toLowerCase() === 'desc' };
}

function canonicalName(name: string, known: readonly string[]): string | undefined {
  return known.find((k) => k.toLowerCase() === name.toLowerCase());
}

/** $skiptoken is opaque to clients; here it encodes the offset of the next page. */
export function skipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function parseSkipToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw new GraphError(400, 'BadRequest', 'The $skiptoken is not valid: use the @odata.nextLink of the previous page as it is.');
}

/** A nextLink in Graph's form: system query option names stay literal (`$top=`), values are percent-encoded. */
export function nextLink(collectionUrl: string, query: URLSearchParams, nextOffset: number): string {
  const parts: string[] = [];
  for (const [key, value] of query) {
    if (key.toLowerCase() === '$skiptoken') continue;
    parts.push(`${key}=${encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%27/gi, "'")}`);
  }
  parts.push(`$skiptoken=${skipToken(nextOffset)}`);
  return `${collectionUrl}?${parts.join('&')}`;
}
