// The fewest requests any correct design needs for each operation, argued in one line each.
// A floor of 0 means the work is a design choice (e.g. running a workflow at all), so no ratio.

export interface Floor {
  value: number;
  why: string;
}

const floor = (value: number, why: string): Floor => ({ value, why });

export const FLOORS = {
  webhookApplied: {
    dynamodbRequests: floor(
      2,
      'one read to map (partner, student_id, course) to the step, one conditional transaction that writes delivery + step + enrollment together (the dedupe is its condition)',
    ),
    startExecution: floor(0, 'the next step could start inside the same transaction; a workflow is a design choice (retries, visibility)'),
  },
  webhookDuplicate: {
    dynamodbRequests: floor(1, 'one read of the delivery record (or one failed conditional write) recognises a webhook-id seen before'),
    startExecution: floor(0, 'a duplicate changes nothing'),
  },
  webhookUnmatched: {
    dynamodbRequests: floor(2, 'one read proving no linked student matches, one write keeping the delivery for the admin inbox'),
    startExecution: floor(0, 'nothing to advance'),
  },
  webhookAlreadyCompleted: {
    dynamodbRequests: floor(2, 'one read finding the step already done, one write keeping the delivery for audit'),
    startExecution: floor(0, 'nothing to advance'),
  },
  createEnrollment: {
    dynamodbRequests: floor(
      2,
      'one read of the program to snapshot it, one transaction writing the student, the enrollment, its steps and the one-active-enrollment lock',
    ),
    startExecution: floor(0, 'the first steps start in the creating transaction'),
  },
  enrollment: {
    dynamodbRequests: floor(
      13,
      'create: 2 (read the program, one transaction for student + enrollment + steps); 3 applied webhooks × 2; 3 duplicates × 1; record the certificate 1; claim the email 1',
    ),
    lambdaInvocations: floor(
      7,
      'one per API request (1 enrollment + 6 webhook deliveries); the certificate and email could run in the last webhook',
    ),
    startExecution: floor(0, 'design choice'),
    stateTransitions: floor(0, 'design choice (Standard bills them; a design without a workflow has none)'),
    s3Puts: floor(1, 'one PDF stored'),
    emails: floor(1, 'one completion email'),
  },
} as const satisfies Record<string, Record<string, Floor>>;

/** measured / floor, or undefined when the floor is 0. */
export function ratio(measured: number, floor: Floor): number | undefined {
  return floor.value === 0 ? undefined : measured / floor.value;
}
