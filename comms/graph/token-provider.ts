// App-only Graph tokens through MSAL's confidential client (client credentials, secret or certificate).
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
  /** A valid bearer token for Graph; served from MSAL's cache until near expiry. */
  getToken(): Promise<string>;
}

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export function createMsalTokenProvider(options: TokenProviderOptions): TokenProvider {
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
  const app = new ConfidentialClientApplication({
    auth,
    system: {
      networkClient: msalNetworkClient(options.transport),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
  const scopes = [options.scope ?? GRAPH_DEFAULT_SCOPE];

  return {
    async getToken(): Promise<string> {
      try {
        const result = await app.acquireTokenByClientCredential({ scopes });
        if (!result?.accessToken) throw new Error('the issuer returned no access token');
        return result.accessToken;
      } catch (err) {
        throw tokenError(err);
      }
    },
  };
}

function tokenError(err: unknown): GraphError {
  const e = err as { errorCode?: string; errorMessage?: string; errorNo?: string; subError?: string; message?: string };
  // MSAL error messages carry AADSTS codes and trace ids, never the secret.
  const aadsts = e.errorNo ? `AADSTS${e.errorNo}` : undefined;
  const what = [e.errorCode, aadsts].filter(Boolean).join(' ');
  const detail = (e.errorMessage ?? e.message ?? 'unknown error').split('\n')[0];
  return new GraphError('graph/token-failed', `App token request failed${what ? ` (${what})` : ''}: ${detail}`, {
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
