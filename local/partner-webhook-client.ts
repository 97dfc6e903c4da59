// Signs and sends a webhook exactly as a partner platform would (Standard Webhooks). Used by
// `npm run partner` and by the tests.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export interface SignedWebhook {
  id: string;
  headers: Record<string, string>;
  body: string;
}

export function signWebhook(options: { secret: string; body: string; id?: string; timestamp?: Date }): SignedWebhook {
  const id = options.id ?? `msg_${randomUUID().replace(/-/g, '')}`;
  const timestamp = options.timestamp ?? new Date();
  const signature = new Webhook(options.secret).sign(id, timestamp, options.body);
  return {
    id,
    body: options.body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    },
  };
}

export interface CompletionSpec {
  /** The two events Baton acts on, or any other name (to see how an unknown event is answered). */
  event: 'course.completed' | 'course.passed' | (string & {});
  studentId: string;
  courseId: string;
  email?: string;
  score?: number;
  completedAt?: string;
}

/** The seed's JSON shape. */
export function completionBody(spec: CompletionSpec): string {
  return JSON.stringify({
    event: spec.event,
    student_id: spec.studentId,
    course_id: spec.courseId,
    ...(spec.email ? { email: spec.email } : {}),
    ...(spec.score !== undefined ? { score: spec.score } : {}),
    completed_at: spec.completedAt ?? new Date().toISOString(),
  });
}

/** The same completion as an xAPI statement. */
export function xapiBody(spec: CompletionSpec & { partnerHomePage?: string }): string {
  const verb = spec.event === 'course.passed' ? 'passed' : 'completed';
  return JSON.stringify({
    actor: {
      objectType: 'Agent',
      account: { homePage: spec.partnerHomePage ?? 'https://partner.example', name: spec.studentId },
      ...(spec.email ? { mbox: `mailto:${spec.email}` } : {}),
    },
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
    object: { id: `${spec.partnerHomePage ?? 'https://partner.example'}/courses/${spec.courseId}`, objectType: 'Activity' },
    ...(spec.score !== undefined ? { result: { score: { scaled: spec.score }, completion: true, success: verb === 'passed' } } : {}),
    timestamp: spec.completedAt ?? new Date().toISOString(),
  });
}

export async function sendWebhook(url: string, signed: SignedWebhook): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body };
}
