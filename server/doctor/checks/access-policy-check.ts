// Does a Teams application access policy let the app read online meetings for a user? A harmless lookup of a meeting
// that does not exist — GET /users/{id}/onlineMeetings?$filter=JoinWebUrl eq '<a made-up join link>'
// (onlinemeeting-get; OnlineMeetings.ReadWrite.All, behind the access policy). Graph checks the policy first: without
// it the answer is 403 "No application access policy found for this app"; with it, an empty list (or a 400/404 for
// the made-up meeting), which is just as good a yes.
// The user is DOCTOR_USER (id or UPN), or the first user of the directory (GET /users, User.Read.All).
import { GraphClient, GraphError, type TokenProvider } from '../../../comms/graph/index.js';
import type { Config } from '../../config.js';
import type { DoctorEnvironment, MicrosoftSide } from '../doctor-environment.js';
import { fail, pass, warn, type Finding } from '../finding.js';

const USER_FIELDS = 'id,displayName,userPrincipalName';

interface DirectoryUser {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
}

export function accessPolicyFix(appId: string, userId: string): string {
  return [
    'A Teams administrator runs, in PowerShell with the MicrosoftTeams module (Connect-MicrosoftTeams):',
    `  New-CsApplicationAccessPolicy -Identity Switchboard-Policy -AppIds "${appId}" -Description "Switchboard"`,
    `  Grant-CsApplicationAccessPolicy -PolicyName Switchboard-Policy -Identity "${userId}"   (or -Global for every user)`,
    'It can take up to 30 minutes to apply; then run npm run doctor again.',
  ].join('\n');
}

export async function checkAccessPolicy(env: DoctorEnvironment, config: Config, microsoft: MicrosoftSide, tokens: TokenProvider): Promise<Finding> {
  const graph = new GraphClient({ baseUrl: microsoft.graphBaseUrl, tokens, transport: env.transport, timeoutMs: env.timeoutMs, retry: { maxRetries: 0 } });
  const wanted = env.variables.DOCTOR_USER?.trim();
  let user: DirectoryUser | undefined;
  try {
    if (wanted) {
      user = await graph.get<DirectoryUser>(`/users/${encodeURIComponent(wanted)}`, { query: { $select: USER_FIELDS } });
    } else {
      user = (await graph.get<{ value: DirectoryUser[] }>('/users', { query: { $top: 1, $select: USER_FIELDS } })).value[0];
    }
  } catch (err) {
    if (err instanceof GraphError && err.code === 'graph/not-found' && wanted) {
      return fail('access-policy', 'doctor/doctor-user-unknown', `DOCTOR_USER "${wanted}" is not a user in tenant ${config.app.tenantId}`, 'Set DOCTOR_USER to the object id or UPN of a person the access policy is granted to.');
    }
    return warn('access-policy', 'doctor/access-policy-unchecked', `no user to check with: ${describe(err)}`, 'Set DOCTOR_USER to the object id or UPN of a person the access policy is granted to.');
  }
  if (!user) return warn('access-policy', 'doctor/access-policy-unchecked', 'the directory has no users to check with', 'Set DOCTOR_USER to a user\'s object id or UPN.');
  const who = user.userPrincipalName ?? user.displayName ?? user.id;

  try {
    await graph.get(`/users/${encodeURIComponent(user.id)}/onlineMeetings`, { query: { $filter: `JoinWebUrl eq '${probeJoinUrl(config.app.tenantId, user.id)}'` } });
  } catch (err) {
    if (err instanceof GraphError && err.code === 'graph/access-policy-missing') {
      return fail(
        'access-policy',
        'doctor/access-policy-missing',
        `the app may not read ${who}'s online meetings: no application access policy covers them`,
        accessPolicyFix(config.app.id, user.id),
        wanted ? undefined : ['checked with the first user of the directory; if the policy is granted per user, set DOCTOR_USER to one of them'],
      );
    }
    if (err instanceof GraphError && (err.code === 'graph/not-found' || err.code === 'graph/bad-request')) {
      return pass('access-policy', `granted: the app may act for ${who} (Graph answered ${err.status} for the made-up meeting, past the policy check)`);
    }
    return warn('access-policy', 'doctor/access-policy-unchecked', `the probe failed: ${describe(err)}`, err instanceof GraphError ? err.advice : undefined);
  }
  return pass('access-policy', `granted: the app may read ${who}'s online meetings`);
}

/** A well-formed Teams join link for a meeting that does not exist, "organized" by the user. */
function probeJoinUrl(tenantId: string, userId: string): string {
  const thread = `19%3ameeting_${Buffer.from('switchboard-doctor-probe').toString('base64url')}%40thread.v2`;
  const context = encodeURIComponent(JSON.stringify({ Tid: tenantId, Oid: userId }));
  return `https://teams.microsoft.com/l/meetup-join/${thread}/0?context=${context}`;
}

function describe(err: unknown): string {
  if (err instanceof GraphError) return `${err.code}${err.status ? ` (HTTP ${err.status})` : ''}: ${err.message}`;
  return (err as Error).message ?? String(err);
}
