// Everything the doctor reads from the outside world, passed in: the variables, the HTTP seam, where Microsoft's side
// is (Entra ID and Graph, or the emulator), which base URL to probe for the calling webhook, the manifest to check and
// the clock. Tests point it at an emulator told to reproduce a misconfiguration; `npm run doctor` builds it for real.
import type { HttpTransport } from '../../comms/graph/index.js';
import type { RunningEmulator } from '../../emulator/index.js';

export interface MicrosoftSide {
  /** The MSAL authority, e.g. https://login.microsoftonline.com/{tenant} or the emulator's. */
  authorityUrl: string;
  /** e.g. https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string;
  /** Set for a local issuer so MSAL skips cloud instance discovery. */
  knownAuthorities?: string[];
}

export interface DoctorEnvironment {
  /** The variables as the app reads them (the environment over .env). */
  variables: Record<string, string | undefined>;
  cwd: string;
  /** Trusts the emulator's certificate in local mode. */
  transport: HttpTransport;
  /** Where Microsoft's side is for a tenant. Default: Entra ID and Graph in Microsoft's cloud (CLOUD_ENDPOINTS). */
  microsoft?: (tenantId: string) => MicrosoftSide;
  /** The base URL whose /api/calling must be this app (default: PUBLIC_BASE_URL; local mode: the running app). */
  webhookBaseUrl?: string;
  /** manifest.json (placeholders are filled from the variables) or a built appPackage/build/manifest.<env>.json. */
  manifestPath: string;
  /** Milliseconds since the epoch, as this machine believes. */
  now(): number;
  /** Per-request timeout of the probes (default 10 s). */
  timeoutMs?: number;
}

/** Microsoft's side as the emulator plays it (its issuer answers for its own tenant only, as Entra ID would). */
export function emulatorSide(emulator: Pick<RunningEmulator, 'url' | 'graphUrl'>): (tenantId: string) => MicrosoftSide {
  return (tenantId) => ({ authorityUrl: `${emulator.url}/${tenantId}`, graphBaseUrl: emulator.graphUrl, knownAuthorities: [new URL(emulator.url).host] });
}
