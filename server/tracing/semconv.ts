// The OpenTelemetry semantic-convention names Switchboard's spans use (the stable HTTP and service ones, and
// url.template), as plain strings: the start does not load @opentelemetry/semantic-conventions' thousands of
// constants for a dozen names.
export const SEMCONV = {
  serviceName: 'service.name',
  serviceVersion: 'service.version',
  serviceInstanceId: 'service.instance.id',
  httpRequestMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpResponseStatusCode: 'http.response.status_code',
  httpRequestResendCount: 'http.request.resend_count',
  urlScheme: 'url.scheme',
  urlTemplate: 'url.template',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
} as const;
