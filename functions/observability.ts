// Structured logs and metrics for every function (Powertools for AWS Lambda). Each request's
// lines carry the route, and the enrollment, partner and webhook ids once known.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE, METRIC_SERVICE, type CustomMetric } from './custom-metrics.js';

export const logger = new Logger({ serviceName: METRIC_SERVICE });
// Not exported: countMetric is the only way to emit, so every metric is one of CUSTOM_METRICS.
const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: METRIC_SERVICE });

/** Emits one count right away (EMF), so no flush middleware is needed on routes without metrics. No dimensions: see custom-metrics.ts. */
export function countMetric(name: CustomMetric) {
  metrics.singleMetric().addMetric(name, MetricUnit.Count, 1);
}
