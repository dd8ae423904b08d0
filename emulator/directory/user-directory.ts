// The emulated tenant's people: lookup by object id or user principal name, as Graph resolves /users/{id | upn}.

import type { EmulatedUser } from '../emulator-options.js';

export class UserDirectory {
  private readonly users: readonly EmulatedUser[];

  constructor(users: readonly EmulatedUser[]) {
    this.users = users.map((u) => ({ ...u }));
  }

  list(): readonly EmulatedUser[] {
    return this.users;
  }

  /** Ids and UPNs are compared case-insensitively, as the directory does. */
  find(idOrUpn: string): EmulatedUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
  }
}
