// Reads the claims of the app's own access token (the payload part, base64url JSON). No signature check: the token
// came straight from the issuer over TLS and is only read here to see which roles were granted. Never logged.

export interface AppTokenClaims {
  roles: string[];
  tenantId?: string;
  appId?: string;
  audience?: string;
}

export function readTokenClaims(token: string): AppTokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
    const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
    return { roles, tenantId: text('tid'), appId: text('appid') ?? text('azp'), audience: text('aud') };
  } catch {
    return undefined;
  }
}
