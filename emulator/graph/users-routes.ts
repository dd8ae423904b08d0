// GET /users and GET /users/{id | userPrincipalName} (doc pages user-list, user-get): Graph's default user
// properties, $select/$top/$filter/$orderby on the list, Request_ResourceNotFound for unknown users.
// Permissions (application): User.Read.All, User.ReadBasic.All, Directory.Read.All (or their ReadWrite forms).

import type { UserDirectory } from '../directory/user-directory.js';
import type { EmulatedUser } from '../emulator-options.js';
import type { GraphContext, GraphPermissions, GraphResult, GraphRoute } from './graph-area.js';
import { GraphError } from './graph-error.js';
import { nextLink, parseCollectionQuery, parseSelect, type CollectionQuery } from './odata-query.js';

const USER_TYPE = 'microsoft.graph.user';
const DEFAULT_PAGE_SIZE = 100;

/** What Graph returns for a user when no $select is given, in Graph's order. */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation',
  'preferredLanguage', 'surname', 'userPrincipalName', 'id',
] as const;

/** Further user properties $select may name; the emulator fills a few, the rest are null as for an unset value. */
const EXTRA_USER_PROPERTIES = [
  'accountEnabled', 'ageGroup', 'city', 'companyName', 'country', 'createdDateTime', 'department', 'employeeId',
  'faxNumber', 'imAddresses', 'mailNickname', 'otherMails', 'postalCode', 'proxyAddresses', 'state',
  'streetAddress', 'usageLocation', 'userType',
] as const;

const SELECTABLE: readonly string[] = [...DEFAULT_USER_PROPERTIES, ...EXTRA_USER_PROPERTIES];
const FILTERABLE: readonly string[] = ['id', 'userPrincipalName', 'mail', 'displayName', 'givenName', 'surname'];
const ORDERABLE: readonly string[] = ['displayName', 'userPrincipalName'];

const READ_USERS: GraphPermissions = {
  application: ['User.Read.All', 'User.ReadBasic.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  delegated: ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
};

export function usersRoutes(directory: UserDirectory): GraphRoute[] {
  return [
    { method: 'GET', path: '/users', permissions: READ_USERS, handle: (ctx) => listUsers(directory, ctx) },
    { method: 'GET', path: '/users/:id', permissions: READ_USERS, handle: (ctx) => getUser(directory, ctx) },
  ];
}

function listUsers(directory: UserDirectory, ctx: GraphContext): GraphResult {
  const query = parseCollectionQuery(ctx.request.query, { selectable: SELECTABLE, filterable: FILTERABLE, orderable: ORDERABLE, maxTop: 999 }, USER_TYPE);
  let users = directory.list().filter((u) => matchesFilter(u, query.filter));
  if (query.orderBy) {
    const { property, descending } = query.orderBy;
    users = [...users].sort((a, b) => compareText(propertyText(a, property), propertyText(b, property)) * (descending ? -1 : 1));
  }
  const pageSize = query.top ?? DEFAULT_PAGE_SIZE;
  const page = users.slice(query.skip, query.skip + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.graphUrl}/$metadata#users${selectSuffix(query)}`,
    value: page.map((u) => project(u, query.select)),
  };
  if (query.skip + pageSize < users.length) body['@odata.nextLink'] = nextLink(`${ctx.graphUrl}/users`, ctx.request.query, query.skip + pageSize);
  return { status: 200, json: body };
}

function getUser(directory: UserDirectory, ctx: GraphContext): GraphResult {
  const id = ctx.params.id!;
  const user = directory.find(id);
  if (!user) {
    throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  }
  let select: string[] | undefined;
  for (const [key, value] of ctx.request.query) if (key.toLowerCase() === '$select') select = parseSelect(value, SELECTABLE, USER_TYPE);
  return {
    status: 200,
    json: { '@odata.context': `${ctx.graphUrl}/$metadata#users${selectSuffix({ select })}/$entity`, ...project(user, select) },
  };
}

function selectSuffix(query: Pick<CollectionQuery, 'select'>): string {
  return query.select ? `(${query.select.join(',')})` : '';
}

function project(user: EmulatedUser, select: readonly string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of select ?? DEFAULT_USER_PROPERTIES) out[name] = propertyValue(user, name);
  return out;
}

function propertyValue(user: EmulatedUser, name: string): unknown {
  switch (name) {
    case 'businessPhones': return user.businessPhones ?? [];
    case 'displayName': return user.displayName;
    case 'givenName': return user.givenName;
    case 'jobTitle': return user.jobTitle ?? null;
    case 'mail': return user.mail;
    case 'mobilePhone': return user.mobilePhone ?? null;
    case 'officeLocation': return user.officeLocation ?? null;
    case 'preferredLanguage': return user.preferredLanguage ?? null;
    case 'surname': return user.surname;
    case 'userPrincipalName': return user.userPrincipalName;
    case 'id': return user.id;
    case 'accountEnabled': return true;
    case 'userType': return 'Member';
    case 'mailNickname': return user.userPrincipalName.split('@')[0];
    case 'imAddresses': return [user.userPrincipalName];
    case 'otherMails': return [];
    case 'proxyAddresses': return [`SMTP:${user.mail}`];
    default: return null;
  }
}

function propertyText(user: EmulatedUser, name: string): string {
  const value = propertyValue(user, name);
  return typeof value === 'string' ? value : '';
}

function matchesFilter(user: EmulatedUser, filter: CollectionQuery['filter']): boolean {
  if (!filter) return true;
  const actual = propertyText(user, filter.property).toLowerCase();
  const wanted = filter.value.toLowerCase();
  return filter.kind === 'eq' ? actual === wanted : actual.startsWith(wanted);
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, 'en', { sensitivity: 'base' });
}
