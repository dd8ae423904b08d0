// The request bodies of the calling APIs, checked as Graph checks them: the documented parameters only (an unknown
// top-level parameter is a 400), required fields, enums and the documented limits (prompts ≤ 20, record 1–120 s,
// redirect ≤ 25 targets and 15–90 s, invite ≤ 5, clientContext ≤ 256).

import { z } from 'zod';
import type { EmulatorRequest } from '../http/http-types.js';
import { GraphError } from '../graph/graph-error.js';

const odataType = z.string().optional();
const clientContext = z.string().max(256, 'clientContext can have a maximum of 256 characters').optional();

export const identitySchema = z.looseObject({
  '@odata.type': odataType,
  id: z.string().min(1).optional().nullable(),
  displayName: z.string().optional().nullable(),
  tenantId: z.string().optional().nullable(),
});

export const identitySetSchema = z.looseObject({
  '@odata.type': odataType,
  user: identitySchema.optional().nullable(),
  application: identitySchema.optional().nullable(),
  applicationInstance: identitySchema.optional().nullable(),
  phone: identitySchema.optional().nullable(),
  guest: identitySchema.optional().nullable(),
  device: identitySchema.optional().nullable(),
});

export const invitationParticipantSchema = z.looseObject({
  '@odata.type': odataType,
  identity: identitySetSchema,
  replacesCallId: z.string().optional().nullable(),
  endpointType: z.string().optional().nullable(),
  participantId: z.string().optional().nullable(),
  hidden: z.boolean().optional().nullable(),
});

export const participantInfoSchema = z.looseObject({ '@odata.type': odataType, identity: identitySetSchema });

const modality = z.enum(['unknown', 'audio', 'video', 'videoBasedScreenSharing', 'data']);
const mediaConfigSchema = z.looseObject({
  '@odata.type': z.string().refine((t) => /^#?microsoft\.graph\.(serviceHostedMediaConfig|appHostedMediaConfig)$/.test(t), {
    message: "must be '#microsoft.graph.serviceHostedMediaConfig' or '#microsoft.graph.appHostedMediaConfig'",
  }),
});
const mediaPromptSchema = z.looseObject({
  '@odata.type': odataType,
  mediaInfo: z.looseObject({ '@odata.type': odataType, uri: z.string().min(1, 'mediaInfo.uri is required'), resourceId: z.string().optional().nullable() }),
});
const chatInfoSchema = z.looseObject({ '@odata.type': odataType, threadId: z.string().min(1).optional().nullable(), messageId: z.string().optional().nullable(), replyChainMessageId: z.string().optional().nullable() });
const meetingInfoSchema = z.looseObject({
  '@odata.type': z.string(),
  organizer: identitySetSchema.optional(),
  allowConversationWithoutHost: z.boolean().optional(),
  joinMeetingId: z.string().optional(),
  passcode: z.string().optional().nullable(),
  token: z.string().optional(),
});

export const TONES = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'] as const;
const timeoutSeconds = (name: string) => z.number().int().min(1, `${name} must be between 1 and 120`).max(120, `${name} must be between 1 and 120`);

const CALL_PROPERTIES = [
  '@odata.type', 'callbackUri', 'targets', 'requestedModalities', 'mediaConfig', 'source', 'chatInfo', 'meetingInfo', 'tenantId', 'subject',
  'callOptions', 'direction', 'routingPolicies', 'myParticipantId', 'callChainId', 'id', 'state', 'activeModalities', 'answeredBy', 'callRoutes',
  'incomingContext', 'mediaState', 'resultInfo', 'ringingTimeoutInSeconds', 'terminationReason', 'toneInfo', 'transcription', 'meetingCapability',
];

export const createCallSchema = z.object({
  '@odata.type': z.string().refine((t) => /^#?microsoft\.graph\.call$/.test(t), { message: "must be '#microsoft.graph.call'" }).optional(),
  callbackUri: z.string({ error: 'callbackUri is required' }),
  targets: z.array(invitationParticipantSchema).optional().nullable(),
  requestedModalities: z.array(modality).min(1).optional(),
  mediaConfig: mediaConfigSchema,
  source: participantInfoSchema.optional().nullable(),
  chatInfo: chatInfoSchema.optional().nullable(),
  meetingInfo: meetingInfoSchema.optional().nullable(),
  tenantId: z.string().optional().nullable(),
  subject: z.string().optional().nullable(),
  callOptions: z.looseObject({}).optional().nullable(),
});

export const answerSchema = z.object({
  callbackUri: z.string().optional(),
  acceptedModalities: z.array(z.enum(['audio', 'video', 'videoBasedScreenSharing']), { error: 'acceptedModalities is required' }).min(1, 'acceptedModalities is required'),
  mediaConfig: mediaConfigSchema,
  callOptions: z.looseObject({}).optional().nullable(),
  participantCapacity: z.number().int().min(0).optional().nullable(),
});

export const rejectSchema = z.object({
  reason: z.string().refine((r) => ['none', 'busy', 'forbidden'].includes(r.toLowerCase()), { message: 'reason must be None, Busy or Forbidden' }).optional().nullable(),
  callbackUri: z.string().optional(),
});

export const redirectSchema = z.object({
  targets: z.array(invitationParticipantSchema).min(1, 'targets is required').max(25, 'at most 25 redirect targets are supported'),
  timeout: z.number().int().min(15, 'timeout must be between 15 and 90 seconds').max(90, 'timeout must be between 15 and 90 seconds').optional().nullable(),
  callbackUri: z.string().optional(),
  routingPolicies: z.array(z.string()).optional(),
  maskCallee: z.boolean().optional(),
  maskCaller: z.boolean().optional(),
});

export const transferSchema = z.object({
  transferTarget: invitationParticipantSchema,
  transferee: participantInfoSchema.optional().nullable(),
  clientContext,
});

export const playPromptSchema = z.object({
  prompts: z.array(mediaPromptSchema).min(1, 'prompts is required').max(20, 'the maximum supported MediaPrompt collection size is 20'),
  clientContext,
});

export const recordResponseSchema = z.object({
  prompts: z.array(mediaPromptSchema).max(1, 'the maximum supported mediaPrompt collection size is 1').optional(),
  bargeInAllowed: z.boolean().optional(),
  initialSilenceTimeoutInSeconds: timeoutSeconds('initialSilenceTimeoutInSeconds').optional(),
  maxSilenceTimeoutInSeconds: timeoutSeconds('maxSilenceTimeoutInSeconds').optional(),
  maxRecordDurationInSeconds: timeoutSeconds('maxRecordDurationInSeconds').optional(),
  playBeep: z.boolean().optional(),
  stopTones: z.array(z.string().min(1)).optional(),
  clientContext,
});

export const clientContextSchema = z.object({ clientContext });

/** participant-startholdmusic: customPrompt (a mediaPrompt, optional) and clientContext. */
export const startHoldMusicSchema = z.object({ customPrompt: mediaPromptSchema.optional().nullable(), clientContext });

export const sendDtmfTonesSchema = z.object({
  tones: z.array(z.enum(TONES)).min(1, 'tones is required'),
  delayBetweenTonesMs: z.number().int().min(0).max(60_000).optional(),
  clientContext,
});

export const updateRecordingStatusSchema = z.object({
  status: z.enum(['notRecording', 'recording', 'failed'], { error: 'status must be notRecording, recording or failed' }),
  clientContext,
});

export const changeScreenSharingRoleSchema = z.object({
  role: z.enum(['viewer', 'sharer'], { error: 'role must be viewer or sharer' }),
});

export const inviteSchema = z.object({
  participants: z.array(invitationParticipantSchema).min(1, 'participants is required').max(5, 'inviting up to 5 participants is supported'),
  clientContext,
});

/** Parses a Graph action body: unknown top-level parameters and schema failures are 400 BadRequest. */
export function parseGraphBody<S extends z.ZodObject>(request: EmulatorRequest, schema: S, operation: string, options: { allowed?: readonly string[]; empty?: boolean } = {}): z.infer<S> {
  const text = request.rawBody.toString('utf8');
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
    }
  } else if (!options.empty) {
    body = {};
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new GraphError(400, 'BadRequest', 'The request payload must be a JSON object.');
  const allowed = new Set([...(options.allowed ?? Object.keys(schema.shape)), '@odata.type']);
  for (const key of Object.keys(body)) {
    if (!allowed.has(key) && !key.includes('@odata.')) {
      throw new GraphError(400, 'BadRequest', `The parameter '${key}' in the request payload is not a valid parameter for the operation '${operation}'.`);
    }
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
    throw new GraphError(400, 'BadRequest', `Invalid request for '${operation}': ${problems}.`);
  }
  return result.data;
}

export { CALL_PROPERTIES };
