// Structured logs and metrics for every function (Powertools for AWS Lambda). Each request's
// lines carry the route, and the enrollment, partner and webhook ids once known.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'baton' });
export const metrics = new Metrics({ namespace: 'Baton', serviceName: 'baton' });

/** Emits one count right away (EMF), so no flush middleware is needed on routes without metrics. */
export function countMetric(name: string, dimensions: Record<string, string> = {}) {
  const single = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Count, 1);
}
