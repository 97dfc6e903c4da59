// Which kind of failed automation an admin is looking at, told by the failure's readable cause
// (the same on the enrollment's admin view and in the pipeline).

/**
 * The completion email went to the mail service and no answer came back: it may have been sent.
 * Baton never sends it again by itself; an admin checks the mail log, then marks it sent or
 * retries with "resend email". The email task's cause starts with this name.
 */
export function isEmailOutcomeUnknown(failure: { cause: string } | undefined): boolean {
  return failure?.cause.startsWith('EmailOutcomeUnknown') ?? false;
}
