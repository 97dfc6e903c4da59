// An address Baton no longer sends to: mail to it bounced for good, or its owner reported it as
// spam (SES's bounce and complaint notifications). Every send path looks it up first.

export interface Suppression {
  /** Folded as Baton stores addresses. */
  email: string;
  reason: 'bounce' | 'complaint';
  at: string;
  /** What the mail service said (the bounce type and diagnostic, the complaint's feedback type). */
  detail: string;
}
