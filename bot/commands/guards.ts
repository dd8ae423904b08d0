// Who may do what: calling and reminders only for people in the app's tenant.
import type { TurnContext } from 'botbuilder';
import type { BotServices } from './command.js';

export function activityTenant(context: TurnContext): string | undefined {
  const channelData = context.activity.channelData as { tenant?: { id?: string } } | undefined;
  return channelData?.tenant?.id ?? context.activity.conversation?.tenantId;
}

/** Undefined when allowed; otherwise the reason to tell the person. */
export function tenantRefusal(context: TurnContext, services: BotServices): string | undefined {
  if (!services.enforceTenant) return undefined;
  const tenant = activityTenant(context);
  if (tenant && tenant.toLowerCase() === services.tenantId.toLowerCase()) return undefined;
  return 'Calls and reminders are only for people in the organization that installed Switchboard.';
}
