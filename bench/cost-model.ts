// The cost model: what one enrollment uses (counted in local mode) × the AWS on-demand price
// list for us-east-1. Pure arithmetic, unit-tested in test/unit/bench-cost-model.test.ts.
// No live pricing API is reachable from the build machines: each price below was read from
// the page cited next to it on PRICES_TAKEN_ON.

export const PRICES_TAKEN_ON = '2026-11-24';

export interface Price {
  usd: number;
  per: string;
  source: string;
  note?: string;
}

export const PRICES = {
  apiGatewayHttpRequest: {
    usd: 1.0 / 1e6,
    per: 'HTTP API request (first 300 million a month; metered in 512 KB increments)',
    source:
      'https://aws.amazon.com/api-gateway/pricing/ (figure quoted by https://awsforengineers.com/blog/aws-api-gateway-pricing-explained; the AWS page text found omits the table)',
  },
  lambdaRequest: { usd: 0.2 / 1e6, per: 'Lambda request', source: 'https://aws.amazon.com/lambda/pricing/' },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 'Lambda GB-second, arm64 (first 7.5 billion GB-s a month)',
    source: 'https://aws.amazon.com/lambda/pricing/ (figure quoted by https://cloudchipr.com/blog/aws-lambda-pricing)',
    note: 'since 1 Aug 2025 the INIT phase of a cold start is billed too (AWS Compute Blog, "AWS Lambda standardizes billing for INIT Phase")',
  },
  dynamoWriteUnit: {
    usd: 0.625 / 1e6,
    per: 'DynamoDB on-demand write request unit (1 KB; a transactional write uses 2)',
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the Nov 2024 reduction; figure quoted by https://airbyte.com/data-engineering-resources/dynamodb-pricing)',
  },
  dynamoReadUnit: {
    usd: 0.125 / 1e6,
    per: 'DynamoDB on-demand read request unit (4 KB strongly consistent, or 2 eventually consistent reads)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (same source)',
  },
  sfnStandardTransition: {
    usd: 0.025 / 1000,
    per: 'Step Functions Standard state transition (retries included)',
    source: 'https://aws.amazon.com/step-functions/pricing/',
  },
  sfnExpressRequest: {
    usd: 1.0 / 1e6,
    per: 'Step Functions Express request (execution started)',
    source: 'https://aws.amazon.com/blogs/compute/building-cost-effective-aws-step-functions-workflows/',
  },
  sfnExpressGbSecond: {
    usd: 0.00001667,
    per: 'Step Functions Express GB-second (duration rounded up to 100 ms, memory in 64 MB chunks; first 1,000 GB-hours)',
    source: 'AWS Step Functions workshop, "Review the Cost Impact" ($0.0000001042 per 100 ms at 64 MB)',
  },
  s3Put: {
    usd: 0.005 / 1000,
    per: 'S3 Standard PUT request',
    source: 'https://aws.amazon.com/s3/pricing/ (figure quoted by https://c3x.dev/blog/s3-request-fees-explained)',
  },
  sesEmail: {
    usd: 0.1 / 1000,
    per: 'SES outbound email',
    source: 'https://aws.amazon.com/ses/pricing/ (figure quoted by https://www.acecloudinterviews.com/tutorials/aws/ses/)',
  },
  xrayTrace: { usd: 5.0 / 1e6, per: 'X-Ray trace recorded (first 100,000 a month free)', source: 'https://aws.amazon.com/xray/pricing/' },
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;

/** What one enrollment uses, as counted in local mode. */
export interface EnrollmentUsage {
  apiRequests: number;
  /** API requests plus workflow Lambda tasks. */
  lambdaInvocations: number;
  /** Each Lambda invocation: its measured duration (ms) and its function's memory (MB). */
  lambdaRuns: ReadonlyArray<{ ms: number; memoryMb: number }>;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  /** Each workflow execution's measured duration and the Lambda tasks it ran. */
  executions: ReadonlyArray<{ ms: number; lambdaTasks: number }>;
  stateTransitions: number;
  s3Puts: number;
  emails: number;
}

export interface CostAssumptions {
  /** Share of Lambda invocations that start cold (their INIT is billed and delays the workflow). */
  coldStartShare: number;
  /** INIT duration of a cold start on Lambda, ms. */
  initMs: number;
  /** Express bills memory in 64 MB chunks; Baton's small definition and payloads fit the first. */
  expressMemoryMb: number;
  /** Share of requests and executions X-Ray records (the default rule records nearly all at low volume). */
  traceShare: number;
}

export type WorkflowType = 'express' | 'standard';

export interface CostScenario {
  name: string;
  label: string;
  why: string;
  assumptions: CostAssumptions;
}

export interface ScenarioCost {
  scenario: CostScenario;
  workflow: WorkflowType;
  /** One estimate per measured lifecycle. */
  estimates: CostEstimate[];
  total: { median: number; min: number; max: number; runs: number };
}

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  price: PriceId;
  /** USD per 1,000 enrollments. */
  per1000: number;
}

export interface CostEstimate {
  workflow: WorkflowType;
  lines: CostLine[];
  total: number;
  largest: CostLine;
}

const line = (item: string, quantity: number, unit: string, price: PriceId): CostLine => ({
  item,
  quantity,
  unit,
  price,
  per1000: quantity * PRICES[price].usd * 1000,
});

export function estimateCost(usage: EnrollmentUsage, assumptions: CostAssumptions, workflow: WorkflowType): CostEstimate {
  // GB-seconds: billed per started ms at the function's memory; a cold start adds its INIT.
  const durationGbSeconds = usage.lambdaRuns.reduce((sum, run) => sum + (Math.ceil(run.ms) / 1000) * (run.memoryMb / 1024), 0);
  const initGbSeconds = usage.lambdaRuns.reduce(
    (sum, run) => sum + assumptions.coldStartShare * (assumptions.initMs / 1000) * (run.memoryMb / 1024),
    0,
  );
  const lines: CostLine[] = [
    line('API Gateway HTTP API requests', usage.apiRequests, 'requests', 'apiGatewayHttpRequest'),
    line('Lambda requests', usage.lambdaInvocations, 'invocations', 'lambdaRequest'),
    line("Lambda duration (arm64, at each function's memory)", durationGbSeconds, 'GB-s', 'lambdaArmGbSecond'),
    line(`Lambda INIT of cold starts (${assumptions.initMs} ms each)`, initGbSeconds, 'GB-s', 'lambdaArmGbSecond'),
    line('DynamoDB write request units', usage.dynamoWriteUnits, 'WRU', 'dynamoWriteUnit'),
    line('DynamoDB read request units', usage.dynamoReadUnits, 'RRU', 'dynamoReadUnit'),
  ];
  if (workflow === 'express') {
    const expressGbSeconds = usage.executions.reduce((sum, execution) => {
      const ms = execution.ms + execution.lambdaTasks * assumptions.coldStartShare * assumptions.initMs;
      return sum + ((Math.ceil(ms / 100) / 10) * (Math.ceil(assumptions.expressMemoryMb / 64) * 64)) / 1024;
    }, 0);
    lines.push(line('Step Functions Express requests', usage.executions.length, 'executions', 'sfnExpressRequest'));
    lines.push(line('Step Functions Express duration', expressGbSeconds, 'GB-s', 'sfnExpressGbSecond'));
  } else {
    lines.push(line('Step Functions Standard state transitions', usage.stateTransitions, 'transitions', 'sfnStandardTransition'));
  }
  lines.push(line('S3 PUT (certificate PDF)', usage.s3Puts, 'requests', 's3Put'));
  lines.push(line('SES email', usage.emails, 'emails', 'sesEmail'));
  lines.push(line('X-Ray traces recorded', (usage.apiRequests + usage.executions.length) * assumptions.traceShare, 'traces', 'xrayTrace'));
  const total = lines.reduce((sum, l) => sum + l.per1000, 0);
  const largest = lines.reduce((a, b) => (b.per1000 > a.per1000 ? b : a));
  return { workflow, lines, total, largest };
}
