// The benchmark's cost arithmetic (bench/cost-model.ts): usage × price, per 1,000 enrollments.
import { describe, expect, it } from 'vitest';
import { PRICES, estimateCost, type CostAssumptions, type EnrollmentUsage } from '../../bench/cost-model.js';

const usage: EnrollmentUsage = {
  apiRequests: 7,
  lambdaInvocations: 10,
  lambdaRuns: [...Array.from({ length: 9 }, () => ({ ms: 99.2, memoryMb: 512 })), { ms: 99.2, memoryMb: 1024 }], // billed as 100 ms each
  dynamoReadUnits: 20,
  dynamoWriteUnits: 160,
  executions: [
    { ms: 40, lambdaTasks: 1 },
    { ms: 150, lambdaTasks: 3 },
  ],
  stateTransitions: 14,
  s3Puts: 1,
  emails: 1,
};
const warm: CostAssumptions = { coldStartShare: 0, initMs: 500, expressMemoryMb: 64, traceShare: 1 };
const cost = (item: string, estimate: ReturnType<typeof estimateCost>) => estimate.lines.find((l) => l.item.startsWith(item))!.per1000;

describe('the cost model', () => {
  it('prices each count per 1,000 enrollments', () => {
    const estimate = estimateCost(usage, warm, 'express');

    expect(cost('API Gateway', estimate)).toBeCloseTo(0.007, 10); // 7 × $1/M × 1,000
    expect(cost('Lambda requests', estimate)).toBeCloseTo(0.002, 10); // 10 × $0.20/M × 1,000
    expect(cost('Lambda duration', estimate)).toBeCloseTo((0.9 * 0.5 + 0.1 * 1) * 0.0000133334 * 1000, 10); // 100 ms each: 9 at 0.5 GB, 1 at 1 GB
    expect(cost('DynamoDB write', estimate)).toBeCloseTo(0.1, 10); // 160 × $0.625/M × 1,000
    expect(cost('DynamoDB read', estimate)).toBeCloseTo(0.0025, 10); // 20 × $0.125/M × 1,000
    expect(cost('S3 PUT', estimate)).toBeCloseTo(0.005, 10);
    expect(cost('SES', estimate)).toBeCloseTo(0.1, 10);
    expect(cost('X-Ray', estimate)).toBeCloseTo(0.045, 10); // (7 requests + 2 executions) × $5/M × 1,000
  });

  it('bills Express per execution plus duration rounded up to 100 ms in 64 MB chunks, and Standard per transition', () => {
    const express = estimateCost(usage, warm, 'express');
    const standard = estimateCost(usage, warm, 'standard');

    expect(cost('Step Functions Express requests', express)).toBeCloseTo(0.002, 10);
    // 40 ms → 100 ms, 150 ms → 200 ms: 0.3 s × 64 MB = 0.01875 GB-s.
    expect(cost('Step Functions Express duration', express)).toBeCloseTo(0.3 * (64 / 1024) * PRICES.sfnExpressGbSecond.usd * 1000, 12);
    expect(cost('Step Functions Standard', standard)).toBeCloseTo(0.35, 10); // 14 × $0.025/1,000 × 1,000
    expect(express.lines.some((l) => l.price === 'sfnStandardTransition')).toBe(false);
    expect(standard.lines.some((l) => l.price.startsWith('sfnExpress'))).toBe(false);
  });

  it('adds the INIT of cold starts to Lambda and to the Express executions that waited for them', () => {
    const cold = estimateCost(usage, { ...warm, coldStartShare: 1 }, 'express');

    expect(cost('Lambda INIT', cold)).toBeCloseTo((9 * 0.5 * 0.5 + 0.5 * 1) * PRICES.lambdaArmGbSecond.usd * 1000, 10); // 500 ms each
    // 40 + 500 ms → 600 ms; 150 + 3 × 500 ms → 1,700 ms: 2.3 s × 64 MB.
    expect(cost('Step Functions Express duration', cold)).toBeCloseTo(2.3 * (64 / 1024) * PRICES.sfnExpressGbSecond.usd * 1000, 12);
  });

  it('totals the lines and names the largest', () => {
    const standard = estimateCost(usage, warm, 'standard');

    expect(standard.total).toBeCloseTo(
      standard.lines.reduce((sum, l) => sum + l.per1000, 0),
      12,
    );
    expect(standard.largest.item).toMatch(/Standard state transitions/);
  });
});
