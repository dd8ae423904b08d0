// comms/graph: the transport every Graph call goes through.
export { GraphClient, type GraphAttempt, type GraphClientOptions, type GraphObserver, type GraphRetryWait, type GraphRequestOptions, type GraphResponse } from './graph-client.js';
export { GraphError, type GraphErrorCode } from './graph-error.js';
export { createHttpTransport, TransportError, type HttpTransport, type HttpRequest, type HttpResponse } from './http-transport.js';
export { createMsalOnBehalfOf, createMsalTokenProvider, GRAPH_DEFAULT_SCOPE, type AppCredential, type OnBehalfOf, type TokenProvider } from './token-provider.js';
export { APP_PERMISSIONS, REQUIRED_APP_ROLES } from './permissions.js';
export { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy.js';
export { changeNotificationItemSchema } from './change-notification.js';
