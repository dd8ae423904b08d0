// Can the app get a Graph token with its configured credential (MSAL client credentials, exactly as the app does),
// and does the token carry every application permission Switchboard's features use?
import { APP_PERMISSIONS, createMsalTokenProvider, type TokenProvider } from '../../../comms/graph/index.js';
import type { Config } from '../../config.js';
import type { DoctorEnvironment, MicrosoftSide } from '../doctor-environment.js';
import { fail, pass, skip, warn, type Finding } from '../finding.js';
import { readTokenClaims } from '../token-claims.js';
import { tokenAdvice } from '../token-advice.js';

export interface TokenCheck {
  findings: Finding[];
  /** Set when a token was issued: later checks call Graph with it. */
  tokens?: TokenProvider;
}

export async function checkTokenAndRoles(env: DoctorEnvironment, config: Config, microsoft: MicrosoftSide): Promise<TokenCheck> {
  const tokens = createMsalTokenProvider({
    clientId: config.app.id,
    authorityUrl: microsoft.authorityUrl,
    credential: config.app.credential,
    knownAuthorities: microsoft.knownAuthorities,
    transport: env.transport,
  });
  let token: string;
  try {
    token = await tokens.getToken();
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    const advice = tokenAdvice(message, config.app.id);
    return {
      findings: [
        fail('token', 'doctor/token-failed', `no token for app ${config.app.id}: ${advice.what} (${advice.code})`, advice.fix, [message.split(/\r?\n/)[0]!]),
        skip('permissions', 'needs an app token'),
      ],
    };
  }
  const findings: Finding[] = [pass('token', `MSAL got a token for app ${config.app.id} from ${new URL(microsoft.authorityUrl).host}`)];

  const claims = readTokenClaims(token);
  if (!claims) {
    findings.push(warn('permissions', 'doctor/token-unreadable', 'the token is not a readable JWT, so its roles could not be checked'));
    return { findings, tokens };
  }
  const missing = APP_PERMISSIONS.filter((p) => !claims.roles.includes(p.role));
  if (missing.length > 0) {
    findings.push(
      fail(
        'permissions',
        'doctor/roles-missing',
        `${missing.length} of ${APP_PERMISSIONS.length} Graph application permissions are not granted`,
        `In Entra admin centre › App registrations › ${config.app.id} › API permissions › Add a permission › Microsoft Graph › Application permissions, add ${missing.map((p) => p.role).join(', ')};\n` +
          'then press "Grant admin consent" (a Global or Privileged Role Administrator). Run npm run doctor again: it asks for a new token.',
        missing.map((p) => `missing ${p.role}: ${p.for}`),
      ),
    );
  } else {
    findings.push(pass('permissions', `all ${APP_PERMISSIONS.length} Graph application permissions Switchboard uses are granted`));
  }
  return { findings, tokens };
}
