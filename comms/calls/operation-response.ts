// Reads the commsOperation a media or participant action answers with (200/202 + Location + body) into a
// normalized CommsOperation; the id comes from the body, else from the Location header.
import type { GraphResponse } from '../graph/index.js';
import { CallError } from './call-error.js';
import { GRAPH_ID_PATTERN, operationBodySchema, toCommsOperation, type CommsOperation } from './graph-shapes.js';

export function readOperation(res: GraphResponse<unknown>, fallbackType: string): CommsOperation {
  const parsed = operationBodySchema.safeParse(res.body ?? {});
  if (!parsed.success) {
    throw new CallError('calls/invalid-response', `Graph answered with an operation that is not valid (request-id ${res.requestId ?? 'none'})`);
  }
  const fromLocation = res.location ? decodeURIComponent(res.location.replace(/[?#].*$/, '').split('/').filter(Boolean).pop() ?? '') : '';
  const id = parsed.data.id ?? fromLocation;
  if (!id || !GRAPH_ID_PATTERN.test(id)) {
    throw new CallError('calls/invalid-response', `Graph answered without an operation id (request-id ${res.requestId ?? 'none'})`);
  }
  const op = toCommsOperation(parsed.data, id);
  if (op.type === 'commsOperation') op.type = fallbackType;
  return op;
}
