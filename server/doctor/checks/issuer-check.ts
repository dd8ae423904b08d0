// Is the identity issuer reachable, and does this machine's clock agree with it? One harmless GET of the issuer's
// OpenID metadata answers both: a failure shows the real network or TLS cause (MSAL hides it behind
// endpoints_resolution_error), and the answer's Date header measures the clock skew.
import type { HttpResponse } from '../../../comms/graph/index.js';
import type { DoctorEnvironment, MicrosoftSide } from '../doctor-environment.js';
import { fail, pass, skip, warn, type Finding } from '../finding.js';

/** Tokens are accepted with at most 5 minutes of skew (Bot Framework, Entra ID and the calling service alike). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const DRIFT_WARNING_MS = 60_000;

export async function checkIssuerAndClock(env: DoctorEnvironment, microsoft: MicrosoftSide, mode: 'local' | 'cloud'): Promise<Finding[]> {
  const url = `${microsoft.authorityUrl}/v2.0/.well-known/openid-configuration`;
  let res: HttpResponse;
  try {
    res = await env.transport.send({ method: 'GET', url, timeoutMs: env.timeoutMs });
  } catch (err) {
    const cause = rootCause(err);
    const fix =
      mode === 'local'
        ? 'The emulator is not answering: start Switchboard again (npm start) and check nothing else uses EMULATOR_PORT.'
        : /CERT|SSL|TLS/i.test(cause)
          ? 'This machine does not trust the certificate it was shown: if a TLS-inspecting proxy sits in between, add its CA with NODE_EXTRA_CA_CERTS=/path/ca.pem.'
          : 'Check this machine can reach login.microsoftonline.com over HTTPS (proxy, firewall, DNS).';
    return [fail('issuer', 'doctor/issuer-unreachable', `${new URL(url).origin} cannot be reached (${cause})`, fix), skip('clock', 'needs an answer from the identity issuer')];
  }
  const findings: Finding[] = [];
  if (res.status !== 200) {
    findings.push(
      fail('issuer', 'doctor/issuer-refused', `${url} answered HTTP ${res.status}${errorDescription(res)}`, 'Check MicrosoftAppTenantId: copy the Directory (tenant) ID from the app registration\'s Overview page.'),
    );
  } else {
    findings.push(pass('issuer', `${microsoft.authorityUrl} answers`));
  }
  findings.push(checkClock(env, res, new URL(url).host));
  return findings;
}

function checkClock(env: DoctorEnvironment, res: HttpResponse, host: string): Finding {
  const serverTime = res.headers.date ? Date.parse(res.headers.date) : Number.NaN;
  if (Number.isNaN(serverTime)) return warn('clock', 'doctor/clock-unknown', `${host} sent no Date header, so the clock could not be compared`);
  const skewMs = env.now() - serverTime;
  const described = `this machine's clock is ${duration(Math.abs(skewMs))} ${skewMs > 0 ? 'ahead of' : 'behind'} ${host}'s`;
  const fix = 'Turn on time synchronisation (Linux: timedatectl set-ntp true; Windows: w32tm /resync; containers use the host\'s clock).';
  if (Math.abs(skewMs) > MAX_CLOCK_SKEW_MS) {
    return fail('clock', 'doctor/clock-skew', `${described}: tokens are refused beyond 5 minutes of skew`, fix);
  }
  if (Math.abs(skewMs) > DRIFT_WARNING_MS) return warn('clock', 'doctor/clock-drift', `${described} (tolerated up to 5 minutes)`, fix);
  return pass('clock', `within ${duration(Math.abs(skewMs))} of ${host}'s clock`);
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function errorDescription(res: HttpResponse): string {
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { error_description?: string; error?: string };
    const text = body.error_description ?? body.error;
    return text ? `: ${text.split(/\r?\n/)[0]}` : '';
  } catch {
    return '';
  }
}

/** The innermost error code or message (TLS errors are nested inside the transport's error). */
export function rootCause(err: unknown): string {
  let current = err as { code?: string; message?: string; cause?: unknown } | undefined;
  let best = current?.message ?? String(err);
  while (current) {
    if (typeof current.code === 'string' && !current.code.startsWith('http/')) best = current.code;
    current = current.cause as typeof current;
  }
  return best;
}
