// The fields every Graph change-notification item carries (webhooks-with-resource-data and without), bounded: each
// subscriber extends this with what its resource adds (resourceData, encryptedContent…).
import { z } from 'zod';

export const changeNotificationItemSchema = z
  .object({
    subscriptionId: z.string().min(1).max(128),
    clientState: z.string().max(512).nullish(),
    changeType: z.string().max(64).nullish(),
    resource: z.string().max(2048).nullish(),
    lifecycleEvent: z.string().max(64).nullish(),
  })
  .loose();
