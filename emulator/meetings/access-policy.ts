// The tenant's application access policy for online meetings (New-/Grant-CsApplicationAccessPolicy): an app using
// application permissions may act on a user's meetings only where a policy is granted — globally or to that user.
// The emulator starts granted globally so local mode works; the control API narrows or revokes it.

import { GraphError } from '../graph/graph-error.js';

export interface AccessPolicyState {
  global: boolean;
  userIds: string[];
}

export class AccessPolicy {
  private state: AccessPolicyState = { global: true, userIds: [] };
  private readonly listeners = new Set<() => void>();

  /** Told after every change (the emulator's saved state). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  get(): AccessPolicyState {
    return { global: this.state.global, userIds: [...this.state.userIds] };
  }

  set(state: AccessPolicyState): AccessPolicyState {
    this.state = { global: state.global, userIds: [...new Set(state.userIds.map((id) => id.toLowerCase()))] };
    for (const listener of this.listeners) listener();
    return this.get();
  }

  allows(userId: string): boolean {
    return this.state.global || this.state.userIds.includes(userId.toLowerCase());
  }

  /** 403 as Graph answers when no policy covers the user (the concept page's error, with the live message's detail). */
  require(appId: string, userId: string): void {
    if (!this.allows(userId)) {
      throw new GraphError(403, 'Forbidden', `No application access policy found for this app ${appId} on the user`);
    }
  }
}
