// The partner editor's integration form as flat strings, to and from the API's webhook
// configuration (a field left empty is left out, and the API names any field that is wrong).
import type { WebhookConfig } from '../../../api/types.ts';

export interface WebhookDraft {
  scheme: WebhookConfig['verification']['scheme'];
  header: string;
  encoding: 'hex' | 'base64';
  prefix: string;
  signedContent: 'body' | 'timestamp.body';
  timestampHeader: string;
  toleranceSeconds: string;
  jwksUrl: string;
  idSource: 'header' | 'pointer' | 'derive';
  idValue: string;
  format: WebhookConfig['format'];
  items: string;
  eventType: string;
  eventTypes: Array<{ name: string; result: 'completed' | 'passed' }>;
  studentId: string;
  email: string;
  courseId: string;
  occurredAt: string;
  score: string;
}

export function draftOf(config: WebhookConfig): WebhookDraft {
  const v = config.verification;
  const m = config.mapping;
  const id = config.deliveryId;
  return {
    scheme: v.scheme,
    header: 'header' in v ? v.header : '',
    encoding: v.scheme === 'hmac-sha256' ? v.encoding : 'hex',
    prefix: 'prefix' in v ? (v.prefix ?? '') : '',
    signedContent: v.scheme === 'hmac-sha256' ? v.signedContent : 'body',
    timestampHeader: v.scheme === 'hmac-sha256' ? (v.timestampHeader ?? '') : '',
    toleranceSeconds: v.scheme === 'hmac-sha256' ? String(v.toleranceSeconds) : '300',
    jwksUrl: v.scheme === 'jwt' ? v.jwksUrl : '',
    idSource: 'header' in id ? 'header' : 'pointer' in id ? 'pointer' : 'derive',
    idValue: 'header' in id ? id.header : 'pointer' in id ? id.pointer : '',
    format: config.format,
    items: m?.items ?? '',
    eventType: m?.eventType ?? '',
    eventTypes: Object.entries(m?.eventTypes ?? {}).map(([name, result]) => ({ name, result })),
    studentId: m?.studentId ?? '',
    email: m?.email ?? '',
    courseId: m?.courseId ?? '',
    occurredAt: m?.occurredAt ?? '',
    score: m?.score ?? '',
  };
}

export const NEW_WEBHOOK: WebhookDraft = draftOf({
  verification: { scheme: 'standard-webhooks' },
  deliveryId: { header: 'webhook-id' },
  format: 'baton',
});

const set = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The webhook configuration to send (PUT /api/admin/partners/{id}). */
export function webhookOf(d: WebhookDraft): Record<string, unknown> {
  const verification =
    d.scheme === 'standard-webhooks'
      ? { scheme: d.scheme }
      : d.scheme === 'jwt'
        ? { scheme: d.scheme, jwksUrl: d.jwksUrl.trim() }
        : d.scheme === 'token'
          ? { scheme: d.scheme, header: d.header.trim(), ...(set(d.prefix) ? { prefix: set(d.prefix) } : {}) }
          : {
              scheme: d.scheme,
              header: d.header.trim(),
              encoding: d.encoding,
              ...(set(d.prefix) ? { prefix: set(d.prefix) } : {}),
              signedContent: d.signedContent,
              ...(d.signedContent === 'timestamp.body'
                ? { timestampHeader: d.timestampHeader.trim(), toleranceSeconds: Number(d.toleranceSeconds) }
                : {}),
            };
  const deliveryId = d.idSource === 'derive' ? { derive: 'sha256' } : { [d.idSource]: d.idValue.trim() };
  const optional = (name: keyof WebhookDraft) => (set(d[name] as string) ? { [name]: set(d[name] as string) } : {});
  const mapping =
    d.format === 'mapped'
      ? {
          ...optional('items'),
          eventType: d.eventType.trim(),
          eventTypes: Object.fromEntries(d.eventTypes.filter((t) => t.name.trim()).map((t) => [t.name.trim(), t.result])),
          ...optional('studentId'),
          ...optional('email'),
          courseId: d.courseId.trim(),
          ...optional('occurredAt'),
          ...optional('score'),
        }
      : undefined;
  return { verification, deliveryId, format: d.format, ...(mapping ? { mapping } : {}) };
}
