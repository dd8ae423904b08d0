// What the running Switchboard says about itself: GET {base}/readyz, each dependency with its state (store, app token,
// the process, speech engines, the callRecords subscription). Ready passes, degraded warns with what is degraded,
// not ready fails naming the checks that fail; nothing answering is skipped (the webhook check already says so).
import type { HttpResponse } from '../../../comms/graph/index.js';
import type { Config } from '../../config.js';
import type { DoctorEnvironment } from '../doctor-environment.js';
import { fail, pass, skip, warn, type Finding } from '../finding.js';

interface Readiness {
  status?: unknown;
  checks?: Record<string, unknown>;
  degraded?: unknown;
}

export async function checkReadiness(env: DoctorEnvironment, config: Config, webhookPassed: boolean): Promise<Finding> {
  if (!webhookPassed) return skip('readiness', 'needs the running Switchboard (see the calling webhook)');
  const url = `${(env.webhookBaseUrl ?? config.publicBaseUrl).replace(/\/+$/, '')}/readyz`;
  let res: HttpResponse;
  try {
    res = await env.transport.send({ method: 'GET', url, headers: {}, timeoutMs: env.timeoutMs });
  } catch {
    return skip('readiness', `nothing answered at ${url}`);
  }
  let body: Readiness;
  try {
    body = JSON.parse(res.body.toString('utf8')) as Readiness;
  } catch {
    return fail('readiness', 'doctor/readiness-unreadable', `${url} answered HTTP ${res.status} without its JSON`, 'Make sure the address reaches Switchboard itself (no proxy page in between).');
  }
  const checks = Object.entries(body.checks ?? {}).map(([name, state]) => `${name}: ${String(state)}`);
  if (res.status === 200 && body.status === 'ready') return pass('readiness', `${url}: ready`, checks);
  const degraded = Array.isArray(body.degraded) ? body.degraded.map(String) : [];
  if (res.status === 200) {
    return warn('readiness', 'doctor/degraded', `${url}: degraded (${degraded.join(', ') || 'see below'}): calls are served, something is missing`, fixFor(degraded), checks);
  }
  const failing = Object.entries(body.checks ?? {}).filter(([, state]) => String(state) !== 'ok' && !String(state).startsWith('ok:')).map(([name]) => name);
  return fail('readiness', 'doctor/not-ready', `${url}: not ready (${failing.join(', ') || `HTTP ${res.status}`})`, 'Read the log line "not ready" for the cause; the store and the app token are checked above.', checks);
}

function fixFor(degraded: string[]): string {
  const fixes: string[] = [];
  if (degraded.includes('speech')) fixes.push('speech: install espeak-ng (prompts) and pocketsphinx pocketsphinx-en-us (spoken replies), or set AZURE_SPEECH_KEY and AZURE_SPEECH_REGION');
  if (degraded.includes('subscriptions')) fixes.push('subscriptions: call history needs the callRecords subscription — grant CallRecords.Read.All with admin consent and make sure Graph can reach PUBLIC_BASE_URL (it is retried every 5 minutes)');
  return fixes.join('\n') || 'See README › Operating › Health.';
}
