// Who may call the tab's API: the validator settings for the user's token in each mode. Local mode trusts the
// emulator's issuer; cloud mode trusts Entra ID for the app's tenant (v2 and v1 issuer forms). The audience is the
// app id or its application ID URI (api://<public host>/<app id>, as manifest.json's webApplicationInfo names it).
import type { HttpTransport } from '../../comms/graph/index.js';
import type { UserTokenValidatorOptions } from './user-token.js';

export const TAB_SCOPE = 'access_as_user';

export interface TabIdentityInput {
  mode: 'local' | 'cloud';
  appId: string;
  tenantId: string;
  /** The public base URL the tab is served from (its host names the application ID URI). */
  publicBaseUrl: string;
  /** Local mode: the emulator's authority (`https://127.0.0.1:3979/<tenant>`); cloud: ignored. */
  authorityUrl: string;
  transport: HttpTransport;
}

export function userTokenOptions(input: TabIdentityInput): UserTokenValidatorOptions {
  const host = new URL(input.publicBaseUrl).hostname;
  const audiences = [input.appId, `api://${host}/${input.appId}`];
  if (input.mode === 'local') {
    return {
      jwksUrl: `${input.authorityUrl}/discovery/v2.0/keys`,
      issuers: [`${input.authorityUrl}/v2.0`],
      audiences,
      allowedTenants: [input.tenantId],
      requiredScope: TAB_SCOPE,
      transport: input.transport,
    };
  }
  const tid = input.tenantId;
  return {
    jwksUrl: `https://login.microsoftonline.com/${tid}/discovery/v2.0/keys`,
    issuers: [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`],
    audiences,
    allowedTenants: [tid],
    requiredScope: TAB_SCOPE,
    transport: input.transport,
  };
}
