// The scripted-attendee runs the control API started: start one for a meeting, follow its progress, cancel it.

import type { CallsEngine } from '../calls/calls-engine.js';
import { EmulatorError } from '../emulator-error.js';
import { AttendeeScript, type ScriptRequest } from './attendee-script.js';
import type { MeetingRef, MeetingRooms } from './meeting-rooms.js';

const MAX_KEPT = 100;

export class AttendeeScripts {
  private readonly scripts = new Map<string, AttendeeScript>();
  private counter = 0;

  constructor(
    private readonly engine: CallsEngine,
    private readonly rooms: MeetingRooms,
  ) {}

  start(ref: MeetingRef, meetingId: string, request: ScriptRequest): AttendeeScript {
    const id = `script-${++this.counter}`;
    const script = new AttendeeScript(id, meetingId, ref, request, this.engine, this.rooms);
    this.scripts.set(id, script);
    this.prune();
    script.start();
    return script;
  }

  get(id: string, threadId: string): AttendeeScript {
    const script = this.scripts.get(id);
    if (!script || script.view().threadId !== threadId) throw new EmulatorError('emulator/unknown-script', `There is no script '${id}' for this meeting.`, 404);
    return script;
  }

  forMeeting(threadId: string): AttendeeScript[] {
    return [...this.scripts.values()].filter((s) => s.view().threadId === threadId);
  }

  cancelAll(): void {
    for (const script of this.scripts.values()) script.cancel();
  }

  private prune(): void {
    for (const [id, script] of this.scripts) {
      if (this.scripts.size <= MAX_KEPT) break;
      if (script.state !== 'running') this.scripts.delete(id);
    }
  }
}
