// The emulated tenant's people: lookup by object id or user principal name, as Graph resolves /users/{id | upn};
// beside them the phone network's numbers and the tenant's application instances (resource accounts).

import type { EmulatedApplicationInstance, EmulatedPhone, EmulatedUser } from '../emulator-options.js';
import { normalizeNumber, phoneAsPerson } from './phone-network.js';

export class UserDirectory {
  private readonly users: readonly EmulatedUser[];
  private readonly phoneList: readonly EmulatedUser[];
  private readonly instanceList: readonly EmulatedApplicationInstance[];

  constructor(users: readonly EmulatedUser[], phones: readonly EmulatedPhone[] = [], instances: readonly EmulatedApplicationInstance[] = []) {
    this.users = users.map((u) => ({ ...u }));
    this.phoneList = phones.map((p) => phoneAsPerson({ ...p, number: normalizeNumber(p.number) ?? p.number }));
    this.instanceList = instances.map((i) => ({ ...i, phoneNumber: normalizeNumber(i.phoneNumber) ?? i.phoneNumber }));
  }

  list(): readonly EmulatedUser[] {
    return this.users;
  }

  /** Ids and UPNs are compared case-insensitively, as the directory does. */
  find(idOrUpn: string): EmulatedUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
  }

  /** The phone network's numbers (as people: id = the E.164 number). */
  phones(): readonly EmulatedUser[] {
    return this.phoneList;
  }

  /** A number on the phone network, written with or without spaces and dashes. */
  findPhone(number: string): EmulatedUser | undefined {
    const key = normalizeNumber(number);
    return key ? this.phoneList.find((p) => p.id === key) : undefined;
  }

  applicationInstances(): readonly EmulatedApplicationInstance[] {
    return this.instanceList;
  }

  /** An application instance by object id, UPN or phone number. */
  findInstance(key: string): EmulatedApplicationInstance | undefined {
    const lower = key.toLowerCase();
    const number = normalizeNumber(key);
    return this.instanceList.find((i) => i.id.toLowerCase() === lower || i.userPrincipalName.toLowerCase() === lower || (number !== undefined && i.phoneNumber === number));
  }
}
