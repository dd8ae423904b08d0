// What to do about a failed app-token request, by the Entra ID error (AADSTS code) in MSAL's answer.

export interface TokenAdvice {
  code: string;
  what: string;
  fix: string;
}

const REGISTRATION = 'Entra admin centre › App registrations › your app';

const BY_AADSTS: Record<string, (appId: string) => Omit<TokenAdvice, 'code'>> = {
  '7000215': (appId) => ({
    what: 'the client secret is wrong',
    fix: `MicrosoftAppPassword is not a secret of app ${appId}: in ${REGISTRATION} › Certificates & secrets, create a new client secret and put its Value (not its Secret ID) in MicrosoftAppPassword.`,
  }),
  '7000222': () => ({
    what: 'the client secret has expired',
    fix: `Create a new client secret in ${REGISTRATION} › Certificates & secrets and put its Value in MicrosoftAppPassword.`,
  }),
  '7000218': () => ({
    what: 'no credential was sent',
    fix: 'Set MicrosoftAppPassword (a client secret) or MicrosoftAppCertificatePath (a PEM with certificate and private key).',
  }),
  '700016': (appId) => ({
    what: `no app ${appId} in this tenant`,
    fix: 'Check MicrosoftAppId (the Application (client) ID) and MicrosoftAppTenantId (the Directory (tenant) ID) against the app registration\'s Overview page.',
  }),
  '90002': () => ({
    what: 'the tenant does not exist',
    fix: 'Check MicrosoftAppTenantId: copy the Directory (tenant) ID from the app registration\'s Overview page.',
  }),
  '900023': () => ({
    what: 'the tenant id is not valid',
    fix: 'Check MicrosoftAppTenantId: copy the Directory (tenant) ID from the app registration\'s Overview page.',
  }),
  '700027': () => ({
    what: 'the certificate is not registered on the app (or the signature does not match)',
    fix: `Upload the certificate's public part (.cer/.pem) in ${REGISTRATION} › Certificates & secrets › Certificates, and make sure MicrosoftAppCertificatePath holds the matching private key.`,
  }),
  '700024': () => ({
    what: 'the client assertion is outside its valid time range',
    fix: 'Fix this machine\'s clock (enable time synchronisation), then try again.',
  }),
};

/** The advice for an MSAL/Entra error message, e.g. "App token request failed (invalid_client AADSTS7000215): …". */
export function tokenAdvice(message: string, appId: string): TokenAdvice {
  const aadsts = /AADSTS(\d+)/.exec(message)?.[1];
  if (aadsts && BY_AADSTS[aadsts]) return { code: `AADSTS${aadsts}`, ...BY_AADSTS[aadsts](appId) };
  if (/endpoints_resolution_error/i.test(message)) {
    return {
      code: 'endpoints_resolution_error',
      what: "MSAL could not read the issuer's metadata",
      fix: 'Fix what the Identity issuer check reports (the tenant id, the network, or certificate trust); MSAL needs that metadata first.',
    };
  }
  if (/network|ECONNREFUSED|ENOTFOUND|timed? ?out|did not answer/i.test(message)) {
    return {
      code: 'network',
      what: 'the token endpoint could not be reached',
      fix: 'Check the network (proxy, firewall) and MicrosoftAppTenantId; the identity issuer check above shows the underlying cause.',
    };
  }
  return {
    code: aadsts ? `AADSTS${aadsts}` : 'unknown',
    what: 'the issuer refused the request',
    fix: 'Check MicrosoftAppId, MicrosoftAppTenantId and the credential against the app registration (README › Cloud setup).',
  };
}
