// Checks a partner definition from untrusted input (PUT /api/admin/partners/{id}, the seed list)
// and fills in the defaults. Every problem is a 400 whose message names the field
// ("webhook.verification.header: …"), so an admin can fix a configuration from the answer alone.
import * as z from 'zod/mini';
import { isEmailAddress, foldEmail } from './email.js';
import { validationError } from './errors.js';
import { checkCsvMapping, csvMappingSchema } from './import-mapping.js';
import { isJsonPointer } from './json-pointer.js';
import { DEFAULT_TOLERANCE_SECONDS, DEFAULT_WEBHOOK, type WebhookConfig } from './partner-webhook-config.js';
import type { PartnerDefinition } from './partners.js';

/** RFC 9110 token characters: what a header name may contain. Stored lower-cased, as requests carry them. */
const headerName = z.pipe(
  z.string().check(z.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name such as "X-Signature"')),
  z.transform((name) => name.toLowerCase()),
);
const pointer = z.string().check(z.refine(isJsonPointer, { error: 'must be a JSON Pointer (RFC 6901) such as "/user/id"' }));
const prefix = z.string().check(z.regex(/^[\x21-\x7e]{1,20}$/, 'must be 1-20 printable characters, e.g. "sha256="'));
const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max));

/** http(s) URL; for a JWKS only https, or http on this machine (local mode's tests): the function fetches it. */
const url = (what: string, options: { fetched?: boolean } = {}) =>
  z.string().check(
    z.maxLength(500),
    z.refine(
      (value) => {
        try {
          const parsed = new URL(value);
          if (parsed.protocol === 'https:') return true;
          if (parsed.protocol !== 'http:') return false;
          return !options.fetched || ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
        } catch {
          return false;
        }
      },
      { error: options.fetched ? `must be an https:// URL of ${what}` : `must be an https:// or http:// URL of ${what}` },
    ),
  );

const verification = z.discriminatedUnion('scheme', [
  z.strictObject({ scheme: z.literal('standard-webhooks') }),
  z.strictObject({
    scheme: z.literal('hmac-sha256'),
    header: headerName,
    encoding: z.enum(['hex', 'base64']),
    prefix: z.optional(prefix),
    signedContent: z._default(z.enum(['body', 'timestamp.body']), 'body'),
    timestampHeader: z.optional(headerName),
    toleranceSeconds: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(3600)), DEFAULT_TOLERANCE_SECONDS),
  }),
  z.strictObject({ scheme: z.literal('token'), header: headerName, prefix: z.optional(prefix) }),
  z.strictObject({ scheme: z.literal('jwt'), jwksUrl: url('the partner’s JSON Web Key Set', { fetched: true }) }),
]);

const deliveryId = z.union([
  z.strictObject({ header: headerName }),
  z.strictObject({ pointer }),
  z.strictObject({ derive: z.literal('sha256') }),
]);

const mapping = z.strictObject({
  items: z.optional(pointer),
  eventType: pointer,
  eventTypes: z
    .record(z.string().check(z.minLength(1), z.maxLength(100)), z.enum(['completed', 'passed']))
    .check(z.refine((types) => Object.keys(types).length > 0, { error: 'must name at least one of the partner’s event names' })),
  studentId: z.optional(pointer),
  email: z.optional(pointer),
  courseId: pointer,
  occurredAt: z.optional(pointer),
  score: z.optional(pointer),
});

const webhook = z.strictObject({
  verification,
  deliveryId: z.optional(deliveryId),
  format: z.enum(['baton', 'xapi', 'mapped']),
  mapping: z.optional(mapping),
});

const course = z.strictObject({
  courseId: z.string().check(z.regex(/^[\x21-\x7e]{1,128}$/, 'must be 1-128 printable characters without spaces')),
  name: text(120),
  hours: z.optional(z.number().check(z.minimum(0), z.maximum(10_000))),
});

const definition = z.strictObject({
  name: text(120),
  contactEmail: z.optional(
    z.pipe(z.string().check(z.trim(), z.refine(isEmailAddress, { error: 'must be a valid email address' })), z.transform(foldEmail)),
  ),
  supportUrl: z.optional(url('the partner’s support page')),
  launchUrlTemplate: z.optional(
    url('the partner’s course page (with {courseId} and {externalId} where they go)').check(
      z.refine((t) => !/\{(?!courseId\}|externalId\})[^}]*\}/.test(t), {
        error: 'may only contain the placeholders {courseId} and {externalId}',
      }),
    ),
  ),
  instructions: z.optional(text(1000)),
  courses: z._default(z.array(course).check(z.maxLength(500)), []),
  status: z._default(z.enum(['active', 'disabled']), 'active'),
  webhook: z.optional(webhook),
  /** Students may submit proof of completion for this partner's steps (on unless turned off). */
  studentEvidence: z._default(z.boolean(), true),
  /** How the partner's completion report files are read (imports). */
  csv: z.optional(csvMappingSchema),
});

function problems(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`).join('; ');
}

/** The definition with its defaults, or VALIDATION_FAILED naming every field that is wrong. */
export function validatePartnerDefinition(input: unknown): PartnerDefinition {
  const parsed = definition.safeParse(input);
  if (!parsed.success) throw validationError(problems(parsed.error), { fields: parsed.error.issues.map((i) => i.path.join('.')) });
  const { webhook: hook, courses, csv, ...rest } = parsed.data;
  const seen = new Set<string>();
  for (const [i, c] of courses.entries()) {
    if (seen.has(c.courseId)) throw validationError(`courses.${i}.courseId: "${c.courseId}" is listed twice`);
    seen.add(c.courseId);
  }
  return {
    ...dropUndefined(rest),
    courses: courses.map(dropUndefined),
    webhook: webhookConfig(hook),
    ...(csv ? { csv: checkCsvMapping(csv) } : {}),
  };
}

function webhookConfig(input: z.infer<typeof webhook> | undefined): WebhookConfig {
  if (!input) return DEFAULT_WEBHOOK;
  const v = input.verification;
  if (v.scheme === 'hmac-sha256' && v.signedContent === 'timestamp.body' && !v.timestampHeader) {
    throw validationError('webhook.verification.timestampHeader: is required when signedContent is "timestamp.body"');
  }
  if (input.format === 'mapped' && !input.mapping) throw validationError('webhook.mapping: is required when format is "mapped"');
  if (input.format !== 'mapped' && input.mapping) throw validationError('webhook.mapping: is only read when format is "mapped"');
  if (input.mapping && !input.mapping.studentId && !input.mapping.email) {
    throw validationError('webhook.mapping: needs studentId or email (or both), so an event names its student');
  }
  // Standard Webhooks signs its webhook-id header, which is then the natural delivery id.
  const id = input.deliveryId ?? (v.scheme === 'standard-webhooks' ? { header: 'webhook-id' } : { derive: 'sha256' as const });
  return {
    verification: dropUndefined<WebhookConfig['verification']>(v),
    deliveryId: id,
    format: input.format,
    ...(input.mapping ? { mapping: dropUndefined(input.mapping) } : {}),
  };
}

function dropUndefined<T extends object>(value: T): T {
  const defined: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) defined[key] = v;
  return defined as T;
}
