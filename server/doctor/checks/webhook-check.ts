// Does the public base URL (HTTPS in cloud mode: the configuration insists) reach THIS app's calling webhook? An unsigned POST to {base}/api/calling must be refused
// by Switchboard with 401 and the body code `calls/unauthorized` (and Switchboard echoes the probe's request-id);
// anything else — no answer, a tunnel's 502, someone else's 404 — is reported with what to do.
import { randomUUID } from 'node:crypto';
import type { HttpResponse } from '../../../comms/graph/index.js';
import type { Config } from '../../config.js';
import type { DoctorEnvironment } from '../doctor-environment.js';
import { fail, pass, type Finding } from '../finding.js';
import { rootCause } from './issuer-check.js';

const TUNNEL = 'devtunnel host -p 3978 --allow-anonymous';

export async function checkWebhook(env: DoctorEnvironment, config: Config): Promise<Finding> {
  const base = (env.webhookBaseUrl ?? config.publicBaseUrl).replace(/\/+$/, '');
  const url = `${base}/api/calling`;
  const probeId = `doctor-${randomUUID()}`;
  let res: HttpResponse;
  try {
    res = await env.transport.send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'request-id': probeId },
      body: '{}',
      timeoutMs: env.timeoutMs,
    });
  } catch (err) {
    const fix =
      config.mode === 'local'
        ? 'Start Switchboard (npm start) and run the doctor again.'
        : `Start Switchboard (npm start) and a public HTTPS endpoint for it, e.g. a dev tunnel: ${TUNNEL};\nthen set PUBLIC_BASE_URL to the tunnel's https:// address and register ${base}/api/calling as the calling webhook of the Azure Bot's Teams channel.`;
    return fail('webhook', 'doctor/webhook-unreachable', `nothing answers at ${url} (${rootCause(err)})`, fix);
  }
  const code = bodyCode(res);
  if (res.status === 401 && code === 'calls/unauthorized') {
    const echoed = res.headers['request-id'] === probeId;
    return pass('webhook', `${url} is Switchboard's calling webhook (an unsigned request was refused with 401${echoed ? ', request id echoed' : ''})`);
  }
  const server = res.headers.server ? `, server: ${res.headers.server}` : '';
  const seen = `HTTP ${res.status}${code ? ` ${code}` : ''}${server}`;
  if ([502, 503, 504].includes(res.status) && config.mode === 'cloud') {
    return fail(
      'webhook',
      'doctor/webhook-not-switchboard',
      `${url} answered ${seen}: the address is up but Switchboard is not behind it`,
      `Start Switchboard (npm start) on the port the tunnel forwards (${TUNNEL} forwards to PORT 3978), or fix the reverse proxy's upstream.`,
    );
  }
  return fail(
    'webhook',
    'doctor/webhook-not-switchboard',
    `${url} answered ${seen}, not Switchboard's 401 calls/unauthorized: PUBLIC_BASE_URL reaches some other server`,
    'Point PUBLIC_BASE_URL (and the tunnel or proxy behind it) at this Switchboard: the tunnel must forward to the PORT Switchboard listens on.',
  );
}

function bodyCode(res: HttpResponse): string | undefined {
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}
