// App-only Graph tokens through MSAL's confidential client (client credentials, secret or certificate), and delegated
// ones on behalf of a signed-in user (the on-behalf-of flow: the user's token for this app — Teams SSO — in, a Graph
// token for the same user out).
// MSAL's own network calls go through our HttpTransport, so a local issuer with a self-signed certificate works.
import { ConfidentialClientApplication, type Configuration, type INetworkModule, type NetworkRequestOptions, type NetworkResponse, LogLevel } from '@azure/msal-node';
import { GraphError } from './graph-error.js';
import type { HttpTransport } from './http-transport.js';

export type AppCredential =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; privateKeyPem: string; thumbprintSha256: string; x5c?: string };

export interface TokenProviderOptions {
  clientId: string;
  /** e.g. https://login.microsoftonline.com/{tenant} or the emulator's https://127.0.0.1:3979/{tenant} */
  authorityUrl: string;
  credential: AppCredential;
  transport: HttpTransport;
  /** Set for a non-Microsoft (local) authority so MSAL skips cloud instance discovery. */
  knownAuthorities?: string[];
  scope?: string;
}

export interface TokenProvider {
  /** A valid bearer token for Graph; the one in hand (MSAL's answer) until MSAL would refresh it. */
  getToken(): Promise<string>;
}

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
/** A held token is handed out until this long before it expires (MSAL refreshes 5 minutes early too). */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export function createMsalTokenProvider(options: TokenProviderOptions): TokenProvider {
  const app = confidentialClient(options);
  const scopes = [options.scope ?? GRAPH_DEFAULT_SCOPE];

  // The token in hand until MSAL would refresh it (its own cache lookup costs about a millisecond of CPU per Graph
  // request, which adds up under load); callers that find none share one acquisition.
  let held: { token: string; refreshAt: number } | undefined;
  let acquiring: Promise<string> | undefined;
  const acquire = async (): Promise<string> => {
    try {
      const result = await app.acquireTokenByClientCredential({ scopes });
      if (!result?.accessToken) throw new Error('the issuer returned no access token');
      const refreshAt = result.refreshOn?.getTime() ?? (result.expiresOn ? result.expiresOn.getTime() - TOKEN_REFRESH_MARGIN_MS : Date.now());
      held = { token: result.accessToken, refreshAt };
      return result.accessToken;
    } catch (err) {
      throw tokenError(err);
    }
  };

  return {
    getToken(): Promise<string> {
      if (held && Date.now() < held.refreshAt) return Promise.resolve(held.token);
      acquiring ??= acquire().finally(() => {
        acquiring = undefined;
      });
      return acquiring;
    },
  };
}

/** Delegated Graph tokens for a user, from their token for this app; MSAL caches them per assertion. */
export interface OnBehalfOf {
  /** Throws GraphError('graph/token-failed') when the issuer refuses (expired assertion, no consent…). */
  tokenFor(userAssertion: string, scopes: string[]): Promise<string>;
}

export function createMsalOnBehalfOf(options: Omit<TokenProviderOptions, 'scope'>): OnBehalfOf {
  const app = confidentialClient(options);
  return {
    async tokenFor(userAssertion, scopes) {
      try {
        const result = await app.acquireTokenOnBehalfOf({ oboAssertion: userAssertion, scopes });
        if (!result?.accessToken) throw new Error('the issuer returned no access token');
        return result.accessToken;
      } catch (err) {
        throw tokenError(err, 'On-behalf-of token request failed');
      }
    },
  };
}

function confidentialClient(options: Omit<TokenProviderOptions, 'scope'>): ConfidentialClientApplication {
  const auth: Configuration['auth'] = {
    clientId: options.clientId,
    authority: options.authorityUrl,
    knownAuthorities: options.knownAuthorities,
  };
  if (options.credential.kind === 'secret') {
    auth.clientSecret = options.credential.secret;
  } else {
    auth.clientCertificate = {
      thumbprintSha256: options.credential.thumbprintSha256,
      privateKey: options.credential.privateKeyPem,
      x5c: options.credential.x5c,
    };
  }
  return new ConfidentialClientApplication({
    auth,
    system: {
      networkClient: msalNetworkClient(options.transport),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
}

function tokenError(err: unknown, what = 'App token request failed'): GraphError {
  const e = err as { errorCode?: string; errorMessage?: string; errorNo?: string; subError?: string; message?: string };
  // MSAL error messages carry AADSTS codes and trace ids, never the secret.
  const aadsts = e.errorNo ? `AADSTS${e.errorNo}` : undefined;
  const codes = [e.errorCode, aadsts].filter(Boolean).join(' ');
  const detail = (e.errorMessage ?? e.message ?? 'unknown error').split('\n')[0];
  return new GraphError('graph/token-failed', `${what}${codes ? ` (${codes})` : ''}: ${detail}`, {
    graphCode: e.errorCode,
    cause: err,
  });
}

function msalNetworkClient(transport: HttpTransport): INetworkModule {
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const res = await transport.send({ method, url, headers: options?.headers, body: options?.body, timeoutMs: timeout });
    const text = res.body.toString('utf8');
    let body: unknown = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: `non-JSON answer from ${new URL(url).origin} (HTTP ${res.status})` };
    }
    return { status: res.status, headers: res.headers, body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
