// Every custom metric Baton emits (namespace Baton). CloudWatch bills each metric name × dimension
// combination monthly, so the set is closed and counted from here (bench/bill, the CI budget): no
// dimension is data — a partner id would make a metric per partner; the logs and the delivery log
// name the partner. Powertools adds one dimension, `service`, always "baton".
import type { DeliveryOutcome } from './domain/delivery.js';

export const METRIC_NAMESPACE = 'Baton';
export const METRIC_SERVICE = 'baton';

export const WEBHOOK_OUTCOMES = ['applied', 'duplicate', 'unmatched', 'ignored'] as const satisfies readonly DeliveryOutcome[];

export const CUSTOM_METRICS = WEBHOOK_OUTCOMES.map((outcome) => `Webhook_${outcome}` as const);
export type CustomMetric = (typeof CUSTOM_METRICS)[number];

/** The dimensions every metric carries, each with exactly one value. */
export const METRIC_DIMENSIONS = { service: METRIC_SERVICE } as const;

/**
 * Metric name × dimension-value combinations the code can emit: what CloudWatch bills as custom
 * metrics. Each dimension has one value, so it is one combination per name.
 */
export const customMetricCount = (): number => CUSTOM_METRICS.length;
