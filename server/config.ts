// One validated configuration object, built at start-up from the environment (and .env).
// No credential → local mode against the embedded emulator; a credential (MicrosoftAppPassword or
// MicrosoftAppCertificatePath) → cloud mode, where every required variable must be present and well-formed and auth
// can never be switched off. The variables `npm run package` also reads (MicrosoftAppId, MicrosoftAppTenantId,
// PUBLIC_BASE_URL, TEAMS_APP_ID) never switch modes on their own: they can sit in .env beside a local start.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AppCredential } from '../comms/graph/index.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { tracingConfig, TRACING_ENV, TRACING_FIXES, TRACING_SECRET_VARIABLES, type TracingConfig } from './tracing/tracing-config.js';

export type Mode = 'local' | 'cloud';

export interface Config {
  mode: Mode;
  /** Why this mode, in words for the start banner ("no credential is set", "MicrosoftAppPassword is set"). */
  modeReason: string;
  host: string;
  port: number;
  /** Base of every URL Graph or Teams must reach (callbackUri, prompts, tab). */
  publicBaseUrl: string;
  app: {
    id: string;
    tenantId: string;
    type: 'SingleTenant' | 'MultiTenant';
    credential: AppCredential;
  };
  dataDir: string;
  /** Where synthesized prompts are kept (default DATA_DIR/prompts); safe to share between instances and runs. */
  promptCacheDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  graphTimeoutMs: number;
  /** The embedded emulator (local mode): its port, and what its people do when the bot calls them. */
  emulator: { port: number; peopleAnswer: 'auto' | 'manual'; answerDelayMs: number };
  /** The front-desk rules and menus (JSON with comments). */
  frontDeskFile: string;
  speech: {
    azure?: { key: string; region: string; voice?: string };
    /** Azure AI Language sentiment for spoken replies (instead of the built-in lexicon). */
    language?: { endpoint: string; key: string };
  };
  /** Default time zone for times people type in chat ("remind … at 14:30") and show on cards. */
  timeZone: string;
  /** Who may list everyone's calls (chat: `calls all`): object ids or UPNs. Everyone else sees only their own. */
  historyAdmins: string[];
  /**
   * Calls to and from phone numbers go through this application instance (the bot's resource account with a phone
   * number): its object id (PSTN_APPLICATION_INSTANCE_ID). Local mode: the emulator's instance unless set. Absent:
   * no PSTN calls (chat says what to configure).
   */
  pstn?: { applicationInstanceId: string };
  /** Distributed mode: several instances share state, timers and live streams through this Redis. */
  redis?: { url: string };
  /** How often each live call is kept alive (default 15 minutes). */
  keepAliveIntervalMs?: number;
  /** How often call queues read their agents' presence (default 5 s): how soon a free agent is offered the next caller. */
  queuePresencePollMs?: number;
  /** Local mode only: use this running emulator instead of starting one (a local cluster shares one). */
  externalEmulator?: { url: string; caFile?: string };
  /** Local mode only: the loopback address Graph (the emulator) calls back, when it is not this instance's own
   * (a local cluster's round-robin front). */
  localPublicUrl?: string;
  /** /metrics: a bearer token for it on the app's address, and/or a port on 127.0.0.1 serving only it. */
  metrics: { token?: string; port?: number };
  /** Traces: an OTLP/HTTP collector and/or Application Insights (neither: no tracing). */
  tracing: TracingConfig;
}

/** The sample front desk that ships with Switchboard (works in local mode as is). */
export const SAMPLE_FRONT_DESK = fileURLToPath(new URL('../../comms/ivr/front-desk.sample.jsonc', import.meta.url));

/** The app registration the embedded emulator knows in local mode (well-known development values, like Azurite's). */
export const LOCAL_APP = {
  id: '8b2f6f0e-3c1d-4e5a-9f7b-2a6c4d8e0f13',
  secret: 'switchboard-local-development-secret',
  tenantId: '6e1f2a0c-4b7d-4f0e-9c3a-2d5b8e7f1a90',
  /** The emulator's resource account for this app (phone number +1 425 555 0100). */
  applicationInstanceId: '5c0e7d2a-91b4-4f3e-8a6d-0b7c2e9f4a11',
} as const;

const SETUP = 'see README › Cloud setup';
/** A credential means "this is the cloud": only these switch to cloud mode when SWITCHBOARD_MODE is unset. */
const CREDENTIAL_VARIABLES = ['MicrosoftAppPassword', 'MicrosoftAppCertificatePath'] as const;
/** Cloud settings that `npm run package` reads too: ignored by a local start, never a reason to switch modes. */
const PACKAGE_VARIABLES = ['MicrosoftAppId', 'MicrosoftAppTenantId', 'PUBLIC_BASE_URL'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(['127.0.0.1', '::1']);

/** Object ids (GUIDs) or UPNs, separated by commas. */
const HISTORY_ADMINS_LIST = /^\s*(?:[0-9a-fA-F-]{36}|[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,255})\s*(?:,\s*(?:[0-9a-fA-F-]{36}|[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,255})\s*)*$/;
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

const envSchema = z.object({
  SWITCHBOARD_MODE: z.preprocess(blankToUndefined, z.enum(['local', 'cloud']).optional()),
  HOST: optionalString,
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  PUBLIC_BASE_URL: optionalString,
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppCertificatePath: optionalString,
  MicrosoftAppTenantId: optionalString,
  MicrosoftAppType: z.preprocess(blankToUndefined, z.enum(['SingleTenant', 'MultiTenant']).optional()),
  DATA_DIR: optionalString,
  PROMPT_CACHE_DIR: optionalString,
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  GRAPH_TIMEOUT_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1000).max(120_000).optional()),
  EMULATOR_PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  EMULATOR_PEOPLE_ANSWER: z.preprocess(blankToUndefined, z.enum(['auto', 'manual']).optional()),
  EMULATOR_ANSWER_DELAY_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(60_000).optional()),
  FRONT_DESK_FILE: optionalString,
  AZURE_SPEECH_KEY: optionalString,
  AZURE_SPEECH_REGION: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9]+$/).optional()),
  AZURE_LANGUAGE_ENDPOINT: z.preprocess(blankToUndefined, z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/i).optional()),
  AZURE_LANGUAGE_KEY: optionalString,
  AZURE_SPEECH_VOICE: optionalString,
  TIME_ZONE: z.preprocess(blankToUndefined, z.string().refine(isTimeZone).optional()),
  HISTORY_ADMINS: z.preprocess(blankToUndefined, z.string().regex(HISTORY_ADMINS_LIST).optional()),
  PSTN_APPLICATION_INSTANCE_ID: z.preprocess(blankToUndefined, z.string().trim().regex(GUID).optional()),
  REDIS_URL: z.preprocess(blankToUndefined, z.string().regex(/^rediss?:\/\/[^\s]+$/).optional()),
  EMULATOR_URL: z.preprocess(blankToUndefined, z.string().regex(/^https:\/\/(127\.0\.0\.1|localhost):\d+$/).optional()),
  EMULATOR_CA_FILE: optionalString,
  LOCAL_PUBLIC_URL: z.preprocess(blankToUndefined, z.string().regex(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/).optional()),
  KEEP_ALIVE_INTERVAL_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1000).max(30 * 60_000).optional()),
  QUEUE_PRESENCE_POLL_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(250).max(60_000).optional()),
  METRICS_TOKEN: z.preprocess(blankToUndefined, z.string().regex(/^[\x21-\x7e]{32,512}$/).optional()),
  METRICS_PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  ...TRACING_ENV,
});

/** Variables whose value is a secret: an error about them never repeats the value. */
const SECRET_VARIABLES = new Set(['METRICS_TOKEN', ...TRACING_SECRET_VARIABLES]);

/** Every variable `npm start` reads (the examples in .env.example and env/.env.local.example document each one). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

const FIXES: Record<string, string> = {
  SWITCHBOARD_MODE: 'use "local" or "cloud", or leave it unset to decide from the credentials',
  HOST: 'use an IP address such as 127.0.0.1',
  PORT: 'use a port number between 1 and 65535, e.g. 3978',
  MicrosoftAppType: 'use SingleTenant or MultiTenant',
  LOG_LEVEL: 'use one of fatal, error, warn, info, debug, trace, silent',
  GRAPH_TIMEOUT_MS: 'use milliseconds between 1000 and 120000, e.g. 10000',
  EMULATOR_PORT: 'use a port number between 1 and 65535, e.g. 3979',
  EMULATOR_PEOPLE_ANSWER: 'use auto (emulated people answer by themselves) or manual (they answer through the emulator console)',
  EMULATOR_ANSWER_DELAY_MS: 'use milliseconds from 0 to 60000, e.g. 3000',
  AZURE_SPEECH_REGION: 'use the Speech resource\'s region name, e.g. westeurope',
  AZURE_LANGUAGE_ENDPOINT: 'use the Language resource\'s endpoint, e.g. https://contoso-language.cognitiveservices.azure.com',
  TIME_ZONE: 'use an IANA time zone such as Europe/London or America/New_York',
  HISTORY_ADMINS: 'use object ids or UPNs separated by commas, e.g. 3f1c…-…-…, grace.whitfield@contoso.com',
  PSTN_APPLICATION_INSTANCE_ID: 'use the object id (a GUID) of the resource account (application instance) that holds the bot\'s phone number, e.g. from Get-CsOnlineApplicationInstance (README › Phone calls (PSTN))',
  REDIS_URL: 'use a Redis URL such as redis://127.0.0.1:6379 (rediss:// for TLS), or leave it unset for one embedded instance',
  EMULATOR_URL: 'use the running emulator\'s address, e.g. https://127.0.0.1:3979, or leave it unset to start one',
  LOCAL_PUBLIC_URL: 'use a loopback address such as http://127.0.0.1:3978',
  KEEP_ALIVE_INTERVAL_MS: 'use milliseconds from 1000 to 1800000 (Graph ends a call with no keepAlive for 45 minutes); default 900000',
  QUEUE_PRESENCE_POLL_MS: 'use milliseconds from 250 to 60000 (one presence request per 650 agents each time); default 5000',
  METRICS_TOKEN: 'use at least 32 printable characters without spaces, e.g. the output of openssl rand -hex 32',
  METRICS_PORT: 'use a port number between 1 and 65535, e.g. 9464 (served on 127.0.0.1 only)',
  ...TRACING_FIXES,
};

/** Builds the configuration from an environment map; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue): ConfigProblem => {
      const variable = String(issue.path[0]);
      const value = SECRET_VARIABLES.has(variable) ? undefined : env[variable]; // a secret is never echoed
      return {
        variable,
        code: `config/invalid-${variable}`,
        message: `${variable} has an invalid value${value === undefined ? '' : ` "${value}"`}: ${FIXES[variable] ?? issue.message}.`,
      };
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const credentials = CREDENTIAL_VARIABLES.filter((name) => e[name] !== undefined);
  const packageOnly = PACKAGE_VARIABLES.filter((name) => e[name] !== undefined);
  const mode: Mode = e.SWITCHBOARD_MODE ?? (credentials.length > 0 ? 'cloud' : 'local');
  const modeReason = describeModeChoice(mode, e.SWITCHBOARD_MODE !== undefined, credentials, packageOnly);
  const port = e.PORT ?? 3978;
  const dataDir = resolvePath(cwd, e.DATA_DIR ?? '.switchboard');
  const common = {
    port,
    dataDir,
    promptCacheDir: e.PROMPT_CACHE_DIR ? resolvePath(cwd, e.PROMPT_CACHE_DIR) : join(dataDir, 'prompts'),
    logLevel: e.LOG_LEVEL ?? 'info',
    graphTimeoutMs: e.GRAPH_TIMEOUT_MS ?? 10_000,
    emulator: { port: e.EMULATOR_PORT ?? 3979, peopleAnswer: e.EMULATOR_PEOPLE_ANSWER ?? 'auto', answerDelayMs: e.EMULATOR_ANSWER_DELAY_MS ?? 3_000 },
    frontDeskFile: e.FRONT_DESK_FILE ? resolvePath(cwd, e.FRONT_DESK_FILE) : SAMPLE_FRONT_DESK,
    timeZone: e.TIME_ZONE ?? 'UTC',
    historyAdmins: e.HISTORY_ADMINS ? e.HISTORY_ADMINS.split(',').map((a) => a.trim()).filter(Boolean) : [],
    ...(e.PSTN_APPLICATION_INSTANCE_ID ? { pstn: { applicationInstanceId: e.PSTN_APPLICATION_INSTANCE_ID.toLowerCase() } } : {}),
    speech: {
      ...(e.AZURE_SPEECH_KEY && e.AZURE_SPEECH_REGION ? { azure: { key: e.AZURE_SPEECH_KEY, region: e.AZURE_SPEECH_REGION, voice: e.AZURE_SPEECH_VOICE } } : {}),
      ...(e.AZURE_LANGUAGE_ENDPOINT && e.AZURE_LANGUAGE_KEY ? { language: { endpoint: e.AZURE_LANGUAGE_ENDPOINT, key: e.AZURE_LANGUAGE_KEY } } : {}),
    },
    ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL } } : {}),
    ...(e.KEEP_ALIVE_INTERVAL_MS ? { keepAliveIntervalMs: e.KEEP_ALIVE_INTERVAL_MS } : {}),
    ...(e.QUEUE_PRESENCE_POLL_MS ? { queuePresencePollMs: e.QUEUE_PRESENCE_POLL_MS } : {}),
    metrics: { ...(e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : {}), ...(e.METRICS_PORT !== undefined ? { port: e.METRICS_PORT } : {}) },
    tracing: tracingConfig(e),
  } as const;
  const speechProblems: ConfigProblem[] = [];
  if (!!e.AZURE_SPEECH_KEY !== !!e.AZURE_SPEECH_REGION) {
    const missing = e.AZURE_SPEECH_KEY ? 'AZURE_SPEECH_REGION' : 'AZURE_SPEECH_KEY';
    speechProblems.push({ variable: missing, code: `config/missing-${missing}`, message: `${missing} is missing: Azure Speech needs both AZURE_SPEECH_KEY and AZURE_SPEECH_REGION (or neither, for the built-in voice).` });
  }
  if (!!e.AZURE_LANGUAGE_ENDPOINT !== !!e.AZURE_LANGUAGE_KEY) {
    const missing = e.AZURE_LANGUAGE_ENDPOINT ? 'AZURE_LANGUAGE_KEY' : 'AZURE_LANGUAGE_ENDPOINT';
    speechProblems.push({ variable: missing, code: `config/missing-${missing}`, message: `${missing} is missing: Azure AI Language sentiment needs both AZURE_LANGUAGE_ENDPOINT and AZURE_LANGUAGE_KEY (or neither, for the built-in lexicon).` });
  }
  if (speechProblems.length > 0) throw new ConfigError(speechProblems);

  if (mode === 'local') {
    const host = e.HOST ?? '127.0.0.1';
    const problems: ConfigProblem[] = [];
    if (!LOOPBACK.has(host)) {
      problems.push({
        variable: 'HOST',
        code: 'config/local-not-loopback',
        message: `HOST is "${host}" but local mode only binds to the loopback address: unset HOST (or use 127.0.0.1), or configure cloud mode (${SETUP}).`,
      });
    }
    if (e.SWITCHBOARD_MODE === 'local' && credentials.length > 0) {
      const set = credentials.join(', ');
      problems.push({
        variable: 'SWITCHBOARD_MODE',
        code: 'config/local-with-credentials',
        message: `SWITCHBOARD_MODE is "local" but ${set} ${set.includes(',') ? 'are' : 'is'} set: unset them for local mode, or set SWITCHBOARD_MODE=cloud.`,
      });
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return {
      ...common,
      mode,
      modeReason,
      host,
      publicBaseUrl: e.LOCAL_PUBLIC_URL ?? `http://${host}:${port}`,
      ...(e.LOCAL_PUBLIC_URL ? { localPublicUrl: e.LOCAL_PUBLIC_URL } : {}),
      ...(e.EMULATOR_URL ? { externalEmulator: { url: e.EMULATOR_URL, ...(e.EMULATOR_CA_FILE ? { caFile: resolvePath(cwd, e.EMULATOR_CA_FILE) } : {}) } } : {}),
      app: { id: LOCAL_APP.id, tenantId: LOCAL_APP.tenantId, type: 'SingleTenant', credential: { kind: 'secret', secret: LOCAL_APP.secret } },
      pstn: common.pstn ?? { applicationInstanceId: LOCAL_APP.applicationInstanceId },
    };
  }

  const problems: ConfigProblem[] = [];
  const missing = (variable: string, what: string) =>
    problems.push({ variable, code: `config/missing-${variable}`, message: `${variable} is missing: set it to ${what} in .env (${SETUP}).` });

  if (!e.MicrosoftAppId) missing('MicrosoftAppId', "the bot's Application (client) ID");
  else if (!GUID.test(e.MicrosoftAppId)) {
    problems.push({ variable: 'MicrosoftAppId', code: 'config/invalid-MicrosoftAppId', message: `MicrosoftAppId "${e.MicrosoftAppId}" is not a GUID: copy the Application (client) ID from the app registration (${SETUP}).` });
  }
  if (!e.MicrosoftAppTenantId) missing('MicrosoftAppTenantId', 'your Directory (tenant) ID');
  else if (!GUID.test(e.MicrosoftAppTenantId)) {
    problems.push({ variable: 'MicrosoftAppTenantId', code: 'config/invalid-MicrosoftAppTenantId', message: `MicrosoftAppTenantId "${e.MicrosoftAppTenantId}" is not a GUID: copy the Directory (tenant) ID from the app registration (${SETUP}).` });
  }

  let credential: AppCredential | undefined;
  if (e.MicrosoftAppPassword && e.MicrosoftAppCertificatePath) {
    problems.push({ variable: 'MicrosoftAppCertificatePath', code: 'config/two-credentials', message: `MicrosoftAppCertificatePath is set together with MicrosoftAppPassword: keep only one credential (${SETUP}).` });
  } else if (e.MicrosoftAppPassword) {
    credential = { kind: 'secret', secret: e.MicrosoftAppPassword };
  } else if (e.MicrosoftAppCertificatePath) {
    const loaded = loadCertificate(resolvePath(cwd, e.MicrosoftAppCertificatePath));
    if ('problem' in loaded) problems.push(loaded.problem);
    else credential = loaded.credential;
  } else {
    problems.push({ variable: 'MicrosoftAppPassword', code: 'config/missing-credential', message: `MicrosoftAppPassword is missing: set the client secret, or MicrosoftAppCertificatePath to a PEM with the certificate and private key (${SETUP}).` });
  }

  let publicBaseUrl: string | undefined;
  if (!e.PUBLIC_BASE_URL) missing('PUBLIC_BASE_URL', 'the public HTTPS address of this app, e.g. https://switchboard.example.com');
  else {
    const checked = checkPublicBaseUrl(e.PUBLIC_BASE_URL);
    if (typeof checked === 'string') publicBaseUrl = checked;
    else problems.push(checked);
  }
  if (problems.length > 0) throw new ConfigError(problems, modeReason);

  return {
    ...common,
    mode,
    modeReason,
    host: e.HOST ?? '0.0.0.0',
    publicBaseUrl: publicBaseUrl!,
    app: { id: e.MicrosoftAppId!, tenantId: e.MicrosoftAppTenantId!, type: e.MicrosoftAppType ?? 'SingleTenant', credential: credential! },
  };
}

function describeModeChoice(mode: Mode, asked: boolean, credentials: readonly string[], packageOnly: readonly string[]): string {
  const list = (names: readonly string[]) => `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set`;
  if (asked) return `${mode === 'cloud' ? 'Cloud' : 'Local'} mode, because SWITCHBOARD_MODE=${mode}.`;
  if (mode === 'cloud') {
    return `Cloud mode, because ${list(credentials)} (a credential switches to cloud mode): complete the cloud settings, or unset ${credentials.join(' and ')} (or set SWITCHBOARD_MODE=local) for local mode.`;
  }
  if (packageOnly.length > 0) {
    return `Local mode: no credential is set (${list(packageOnly)}, but only npm run package uses them here; set MicrosoftAppPassword or MicrosoftAppCertificatePath for cloud mode).`;
  }
  return 'Local mode: no credential is set.';
}

function checkPublicBaseUrl(value: string): string | ConfigProblem {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { variable: 'PUBLIC_BASE_URL', code: 'config/invalid-PUBLIC_BASE_URL', message: `PUBLIC_BASE_URL "${value}" is not a URL: use the public HTTPS address of this app, e.g. https://switchboard.example.com.` };
  }
  if (url.protocol !== 'https:') {
    return { variable: 'PUBLIC_BASE_URL', code: 'config/public-url-not-https', message: `PUBLIC_BASE_URL must start with https:// (Graph only calls HTTPS webhooks): use your dev tunnel or host address (${SETUP}).` };
  }
  if (url.search || url.hash || url.username) {
    return { variable: 'PUBLIC_BASE_URL', code: 'config/invalid-PUBLIC_BASE_URL', message: 'PUBLIC_BASE_URL must be a plain base address without query, fragment or credentials.' };
  }
  return url.toString().replace(/\/+$/, '');
}

function loadCertificate(path: string): { credential: AppCredential } | { problem: ConfigProblem } {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    return { problem: { variable: 'MicrosoftAppCertificatePath', code: 'config/certificate-unreadable', message: `MicrosoftAppCertificatePath points to ${path}, which cannot be read: check the path and permissions.` } };
  }
  const key = pem.match(/-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/)?.[0];
  const cert = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  if (!key || !cert) {
    return { problem: { variable: 'MicrosoftAppCertificatePath', code: 'config/certificate-incomplete', message: `MicrosoftAppCertificatePath (${path}) must hold both the certificate and its unencrypted private key in PEM form.` } };
  }
  try {
    const x509 = new X509Certificate(cert);
    const thumbprintSha256 = createHash('sha256').update(x509.raw).digest('hex');
    return { credential: { kind: 'certificate', privateKeyPem: key, thumbprintSha256, x5c: cert } };
  } catch {
    return { problem: { variable: 'MicrosoftAppCertificatePath', code: 'config/certificate-invalid', message: `MicrosoftAppCertificatePath (${path}) does not contain a valid X.509 certificate.` } };
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function resolvePath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
