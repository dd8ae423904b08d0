// IVR steps in the call's trace, from the bus (comms/ivr publishes each step; the menu engine itself knows nothing of
// tracing): one short span per step — menu played, key pressed, timeout, transfer, hang-up… — a child of the work it
// happened in (the notification or timer that caused it), or of the call's trace when nothing is active. Its
// attributes are the step, the menu and whether the key was an option: never the key itself, a transfer target, or
// anything heard. The front desk's decision (rule and action) goes on its "front-desk decide" span.
import { context, trace } from '@opentelemetry/api';
import type { CallService } from '../../comms/calls/index.js';
import { FRONT_DESK_EVENTS, IVR_EVENTS } from '../../comms/ivr/index.js';
import { TRACE_ATTRIBUTES, tracer } from '../../comms/runtime/index.js';
import type { EventBus } from '../../comms/store/index.js';

export function traceCallEvents(bus: EventBus, calls: CallService): () => void {
  const unsubscribes = [
    bus.on(IVR_EVENTS.step, (event) => {
      const active = context.active();
      const parent = trace.getSpan(active) ? active : calls.traceOf(event.callId) ?? active;
      const span = tracer().startSpan(`ivr ${event.step}`, {
        attributes: {
          [TRACE_ATTRIBUTES.callId]: event.callId,
          [TRACE_ATTRIBUTES.ivrStep]: event.step,
          ...(event.menu !== undefined ? { [TRACE_ATTRIBUTES.ivrMenu]: event.menu } : {}),
          ...(event.retry !== undefined ? { [TRACE_ATTRIBUTES.ivrRetry]: event.retry } : {}),
          ...(event.known !== undefined ? { [TRACE_ATTRIBUTES.ivrKeyKnown]: event.known } : {}),
        },
      }, parent);
      span.end();
    }),
    bus.on(FRONT_DESK_EVENTS.handled, (event) => {
      const span = trace.getActiveSpan();
      if (!span?.isRecording()) return;
      span.setAttributes({ [TRACE_ATTRIBUTES.frontDeskRule]: event.rule, [TRACE_ATTRIBUTES.frontDeskAction]: event.action, ...(event.error ? { [TRACE_ATTRIBUTES.errorType]: event.error } : {}) });
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
