// Signs and sends a webhook exactly as a partner platform would (Standard Webhooks, an HMAC
// header, a shared token). Used by
// `npm run partner` and by the tests.
import { createHmac, randomUUID } from 'node:crypto';
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

/** A request signed the way an HMAC-SHA256 platform signs (Thinkific, Northpass, LearnHouse…). */
export function signHmac(options: {
  secret: string;
  body: string;
  header: string;
  encoding: 'hex' | 'base64';
  prefix?: string;
  /** Sign "{timestamp}.{body}" and send the timestamp in this header. */
  timestampHeader?: string;
  timestamp?: Date;
  headers?: Record<string, string>;
}): { headers: Record<string, string>; body: string } {
  const stamp = String(Math.floor((options.timestamp ?? new Date()).getTime() / 1000));
  const content = options.timestampHeader ? `${stamp}.${options.body}` : options.body;
  const signature = createHmac('sha256', options.secret).update(content, 'utf8').digest(options.encoding);
  return {
    body: options.body,
    headers: {
      'content-type': 'application/json',
      [options.header.toLowerCase()]: `${options.prefix ?? ''}${signature}`,
      ...(options.timestampHeader ? { [options.timestampHeader.toLowerCase()]: stamp } : {}),
      ...options.headers,
    },
  };
}

/** A request carrying a shared token in a header (LearnWorlds-style). */
export function signToken(options: { secret: string; body: string; header: string; prefix?: string; headers?: Record<string, string> }) {
  return {
    body: options.body,
    headers: {
      'content-type': 'application/json',
      [options.header.toLowerCase()]: `${options.prefix ?? ''}${options.secret}`,
      ...options.headers,
    },
  };
}

/** Posts any prepared request (headers and body) to a webhook URL. */
export async function sendRequest(url: string, request: { headers: Record<string, string>; body: string }) {
  return sendWebhook(url, { id: '', ...request });
}
