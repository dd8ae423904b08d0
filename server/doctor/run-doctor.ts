// The doctor: every check in order — configuration, identity issuer and clock, app token and its permissions, the
// online-meetings access policy, the calling webhook, the manifest, speech, and what the running instance's /readyz
// says — each finding with its fix. A check that needs
// an earlier one to pass is reported as skipped rather than failing twice.
import { ConfigError } from '../config-error.js';
import { loadConfig, type Config } from '../config.js';
import { CLOUD_ENDPOINTS } from '../start.js';
import { checkAccessPolicy } from './checks/access-policy-check.js';
import { checkIssuerAndClock } from './checks/issuer-check.js';
import { checkManifest } from './checks/manifest-check.js';
import { checkTokenAndRoles } from './checks/token-check.js';
import { checkWebhook } from './checks/webhook-check.js';
import { checkSpeechRecognizer } from './checks/speech-check.js';
import { checkReadiness } from './checks/readiness-check.js';
import type { DoctorEnvironment } from './doctor-environment.js';
import { fail, pass, skip, type CheckId, type DoctorReport, type Finding } from './finding.js';

const AFTER_CONFIG: CheckId[] = ['issuer', 'clock', 'token', 'permissions', 'access-policy', 'webhook', 'manifest-calling', 'manifest-bot-id', 'manifest-domains', 'speech', 'readiness'];

export async function runDoctor(env: DoctorEnvironment): Promise<DoctorReport> {
  let config: Config;
  try {
    config = loadConfig(env.variables, env.cwd);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const findings: Finding[] = err.problems.map((p) => {
      const { what, fix } = splitMessage(p.message);
      return fail('config', p.code, what, fix);
    });
    findings.push(...AFTER_CONFIG.map((check) => skip(check, 'fix the configuration first')));
    return { findings };
  }

  const findings: Finding[] = [pass('config', describeConfig(config))];
  const microsoft = (env.microsoft ?? CLOUD_ENDPOINTS)(config.app.tenantId);
  findings.push(...(await checkIssuerAndClock(env, microsoft, config.mode)));
  const token = await checkTokenAndRoles(env, config, microsoft);
  findings.push(...token.findings);
  findings.push(token.tokens ? await checkAccessPolicy(env, config, microsoft, token.tokens) : skip('access-policy', 'needs an app token'));
  const webhook = await checkWebhook(env, config);
  findings.push(webhook);
  // Local mode: the app's real address (the configured port may be 0, i.e. picked at start).
  const publicBaseUrl = config.mode === 'local' ? (env.webhookBaseUrl ?? config.publicBaseUrl) : config.publicBaseUrl;
  findings.push(...(await checkManifest(env, config, publicBaseUrl)));
  findings.push(await checkSpeechRecognizer(env, config));
  findings.push(await checkReadiness(env, config, webhook.status === 'pass'));
  return { mode: config.mode, findings };
}

function describeConfig(config: Config): string {
  const credential = config.app.credential.kind === 'secret' ? 'client secret' : 'certificate';
  const where = config.mode === 'local' ? 'the embedded emulator' : config.publicBaseUrl;
  return `${config.mode} mode: app ${config.app.id} (${credential}) in tenant ${config.app.tenantId}, reached at ${where}`;
}

/** ConfigError messages read "<what>: <what to do>". */
function splitMessage(message: string): { what: string; fix: string } {
  const at = message.indexOf(': ');
  if (at < 0) return { what: message, fix: 'See README › Configuration.' };
  const fix = message.slice(at + 2);
  return { what: message.slice(0, at), fix: fix.charAt(0).toUpperCase() + fix.slice(1) };
}
