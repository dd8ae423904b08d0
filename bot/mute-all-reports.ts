// A mute-all that another run finished (its instance died, or the app restarted while it ran) updates the chat card
// the command left "under way": the job carries that card's address, and the instance that ends the job hears its
// `meeting.mute-all` event here. A mute-all that ends where it started updates its card in the command itself.
import type { EventBus } from '../comms/store/index.js';
import type { Logger } from '../comms/runtime/logger.js';
import { describeError } from '../comms/runtime/errors.js';
import { asAttachment } from './cards/card-template.js';
import { progressCard } from './cards/progress-card.js';
import { muteAllOutcome } from './commands/meeting-commands.js';
import type { Conversations } from './conversations.js';

export function reportTakenOverMuteAll(deps: { bus: EventBus; conversations: Pick<Conversations, 'update'>; logger: Logger }): () => void {
  return deps.bus.on('meeting.mute-all', (event) => {
    const card = event.report;
    if (!event.takenOver || !card?.conversationKey || !card.activityId) return;
    void deps.conversations
      .update(card.conversationKey, card.activityId, { attachments: [asAttachment(progressCard(muteAllOutcome(event.results)))] })
      .catch((err: unknown) => deps.logger.warn({ err: describeError(err), meetingKey: event.meetingKey }, 'could not update the mute-all card'));
  });
}
