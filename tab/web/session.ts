// Who is using the tab and how to get their token. In Teams: the meeting from the context and the SSO token from
// getAuthToken. In a plain browser in local mode: the meeting from ?meeting= and a person picked from the emulator's
// directory (?user= preselects one), whose token the app mints through the emulator — used exactly like an SSO token.
// In a browser in cloud mode there is nobody to sign in as: the tab says to open it in Teams.
import { ApiClient, ApiError, errorFrom, type TokenSource } from './api-client.js';
import type { ThemeName, TeamsHost } from './teams-host.js';

export interface DevUser {
  id: string;
  displayName: string;
  upn: string;
  jobTitle?: string;
}

export interface Session {
  host: 'teams' | 'browser';
  mode: 'local' | 'cloud';
  meetingKey?: string;
  token: TokenSource;
  api: ApiClient;
  /** Local mode in a browser: who was picked. */
  devUser?: DevUser;
}

export type SessionStart =
  | { kind: 'ready'; session: Session; theme?: ThemeName }
  | { kind: 'pick'; users: DevUser[]; preselect?: string }
  | { kind: 'outside-teams' };

const REMEMBERED_USER = 'switchboard.devUser';

export function pageMode(): 'local' | 'cloud' {
  return document.documentElement.dataset.mode === 'cloud' ? 'cloud' : 'local';
}

export function queryParam(name: string): string | undefined {
  const value = new URLSearchParams(window.location.search).get(name);
  return value === null || value === '' ? undefined : value;
}

export async function startSession(host: TeamsHost): Promise<SessionStart> {
  const mode = pageMode();
  if (await host.initialize()) {
    const context = await host.getContext();
    const token: TokenSource = () => host.getAuthToken();
    return { kind: 'ready', theme: context.theme, session: { host: 'teams', mode, ...(context.meetingKey ? { meetingKey: context.meetingKey } : {}), token, api: new ApiClient(token) } };
  }
  if (mode === 'cloud') return { kind: 'outside-teams' };
  const res = await fetch('/api/tab/dev/users', { headers: { accept: 'application/json' } });
  if (!res.ok) throw await errorFrom(res);
  const { users } = (await res.json()) as { users: DevUser[] };
  const wanted = queryParam('user') ?? sessionStorage.getItem(REMEMBERED_USER) ?? undefined;
  const preselect = wanted ? users.find((u) => u.id === wanted || u.upn.toLowerCase() === wanted.toLowerCase()) : undefined;
  if (preselect && queryParam('user')) return { kind: 'ready', session: await devSession(preselect) };
  return { kind: 'pick', users, ...(preselect ? { preselect: preselect.id } : {}) };
}

/** A browser session as an emulated person (local mode). */
export async function devSession(user: DevUser): Promise<Session> {
  let cached: { token: string; until: number } | undefined;
  const token: TokenSource = async (refresh) => {
    if (!refresh && cached && Date.now() < cached.until) return cached.token;
    const res = await fetch('/api/tab/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: user.id }) });
    if (!res.ok) throw await errorFrom(res);
    const body = (await res.json()) as { accessToken: string; expiresIn?: number };
    cached = { token: body.accessToken, until: Date.now() + Math.max(60, (body.expiresIn ?? 3600) - 120) * 1000 };
    return body.accessToken;
  };
  await token(); // fail here, visibly, rather than on the first request
  sessionStorage.setItem(REMEMBERED_USER, user.id);
  const meetingKey = queryParam('meeting');
  return { host: 'browser', mode: 'local', ...(meetingKey ? { meetingKey } : {}), token, api: new ApiClient(token), devUser: user };
}

export function forgetDevUser(): void {
  sessionStorage.removeItem(REMEMBERED_USER);
}

export { ApiError };
