// server/metrics: Prometheus metrics at /metrics (metrics.ts), the four phases of every call (call-phases.ts).
export { Metrics } from './metrics.js';
export { CallPhases } from './call-phases.js';
export { METRICS_PATH, metricsExposure, registerMetricsRoute, startMetricsServer, type MetricsAccess, type MetricsServer } from './metrics-route.js';
export { graphOperationPath } from './operation-name.js';
