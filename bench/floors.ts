// The fewest requests any correct design needs for each operation, argued in one line each.
// A floor of 0 means the work is a design choice (e.g. running a workflow at all), so no ratio.

export interface Floor {
  value: number;
  why: string;
}

export const FLOORS = {
  webhookApplied: {
    dynamodbRequests: {
      value: 2,
      why: 'one read to map (partner, student_id, course) to the step, one conditional transaction that writes delivery + step + enrollment together (the dedupe is its condition)',
    },
    startExecution: { value: 0, why: 'the next step could start inside the same transaction; a workflow is a design choice (retries, visibility)' },
  },
  webhookDuplicate: {
    dynamodbRequests: { value: 1, why: 'one read of the delivery record (or one failed conditional write) recognises a webhook-id seen before' },
    startExecution: { value: 0, why: 'a duplicate changes nothing' },
  },
  webhookUnmatched: {
    dynamodbRequests: { value: 2, why: 'one read proving no linked student matches, one write keeping the delivery for the admin inbox' },
    startExecution: { value: 0, why: 'nothing to advance' },
  },
  webhookAlreadyCompleted: {
    dynamodbRequests: { value: 2, why: 'one read finding the step already done, one write keeping the delivery for audit' },
    startExecution: { value: 0, why: 'nothing to advance' },
  },
  createEnrollment: {
    dynamodbRequests: { value: 2, why: 'one read of the program to snapshot it, one transaction writing the student, the enrollment, its steps and the one-active-enrollment lock' },
    startExecution: { value: 0, why: 'the first steps start in the creating transaction' },
  },
  enrollment: {
    dynamodbRequests: {
      value: 13,
      why: 'create: 2 (read the program, one transaction for student + enrollment + steps); 3 applied webhooks × 2; 3 duplicates × 1; record the certificate 1; claim the email 1',
    },
    lambdaInvocations: { value: 7, why: 'one per API request (1 enrollment + 6 webhook deliveries); the certificate and email could run in the last webhook' },
    startExecution: { value: 0, why: 'design choice' },
    stateTransitions: { value: 0, why: 'design choice (Standard bills them; a design without a workflow has none)' },
    s3Puts: { value: 1, why: 'one PDF stored' },
    emails: { value: 1, why: 'one completion email' },
  },
} as const satisfies Record<string, Record<string, Floor>>;

/** measured / floor, or undefined when the floor is 0. */
export function ratio(measured: number, floor: Floor): number | undefined {
  return floor.value === 0 ? undefined : measured / floor.value;
}
