// Webhook presets for platforms whose format is public: the site's partner editor fills the
// integration from one, and the admin completes what is theirs (a JWKS URL, a mapping where the
// vendor does not publish its field names). Each cites where its format is documented (also in
// docs/partners.md); no preset names a field a vendor has not published: those presets carry no
// mapping at all, and saving one answers 400 until the admin fills it in.
import type { WebhookConfig } from './partner-webhook-config.js';

export interface WebhookPreset {
  id: string;
  platform: string;
  /** Where the format is documented. */
  source: string;
  /** What the admin still has to do. */
  note: string;
  webhook: WebhookConfig;
}

export const WEBHOOK_PRESETS: readonly WebhookPreset[] = [
  {
    id: 'thinkific',
    platform: 'Thinkific',
    source:
      'https://developers.thinkific.com/api/using-webhooks (X-Thinkific-Hmac-Sha256: hex HMAC-SHA256 of the body, keyed with the API key); enrollment payload fields as in Thinkific’s webhook payload examples',
    note: 'Create the secret by supplying the school’s API key (or the app’s client secret). Subscribe the webhook to enrollment.completed only: the mapping reads its action.',
    webhook: {
      verification: {
        scheme: 'hmac-sha256',
        header: 'x-thinkific-hmac-sha256',
        encoding: 'hex',
        signedContent: 'body',
        toleranceSeconds: 300,
      },
      deliveryId: { pointer: '/id' },
      format: 'mapped',
      mapping: {
        eventType: '/action',
        eventTypes: { completed: 'completed' },
        studentId: '/payload/user/id',
        email: '/payload/user/email',
        courseId: '/payload/course_id',
        occurredAt: '/payload/completed_at',
      },
    },
  },
  {
    id: '360learning',
    platform: '360Learning',
    source: '360learning.readme.io: security-and-signature-verification (Standard Webhooks), webhookxapi (xAPI statements)',
    note: 'Generate a Standard Webhooks secret and give it to 360Learning with the webhook URL.',
    webhook: { verification: { scheme: 'standard-webhooks' }, deliveryId: { header: 'webhook-id' }, format: 'xapi' },
  },
  {
    id: 'northpass',
    platform: 'Northpass (Gainsight CE)',
    source: 'support.gainsight.com webhook verification (X-Northpass-Hmac-SHA256: base64 HMAC-SHA256 of the body)',
    note: 'Verification only: Northpass’s event fields are not public here, so fill in the mapping from a delivery pasted in the test console.',
    webhook: {
      verification: {
        scheme: 'hmac-sha256',
        header: 'x-northpass-hmac-sha256',
        encoding: 'base64',
        signedContent: 'body',
        toleranceSeconds: 300,
      },
      deliveryId: { derive: 'sha256' },
      format: 'mapped',
    },
  },
  {
    id: 'learnhouse',
    platform: 'LearnHouse',
    source:
      'docs.learnhouse.app automations/webhooks (X-Webhook-Signature: sha256=<hex HMAC of the body>; X-Webhook-Delivery: the delivery id)',
    note: 'Verification and delivery id only: complete the mapping from a delivery pasted in the test console.',
    webhook: {
      verification: {
        scheme: 'hmac-sha256',
        header: 'x-webhook-signature',
        encoding: 'hex',
        prefix: 'sha256=',
        signedContent: 'body',
        toleranceSeconds: 300,
      },
      deliveryId: { header: 'x-webhook-delivery' },
      format: 'mapped',
    },
  },
  {
    id: 'thought-industries',
    platform: 'Thought Industries',
    source: 'developer.thoughtindustries.com/docs/webhooks (X-TI-Signature: hex HMAC-SHA256)',
    note: 'Verification only: Thought Industries’s event fields are not public here, so fill in the mapping from a delivery pasted in the test console.',
    webhook: {
      verification: { scheme: 'hmac-sha256', header: 'x-ti-signature', encoding: 'hex', signedContent: 'body', toleranceSeconds: 300 },
      deliveryId: { derive: 'sha256' },
      format: 'mapped',
    },
  },
  {
    id: 'learnworlds',
    platform: 'LearnWorlds',
    source: 'support.learnworlds.com (Learnworlds-Webhook-Signature: v1=<the shared signature value>)',
    note: 'A static shared value, the weakest scheme: supply the value LearnWorlds shows. Verification only: fill in the mapping from a delivery pasted in the test console.',
    webhook: {
      verification: { scheme: 'token', header: 'learnworlds-webhook-signature', prefix: 'v1=' },
      deliveryId: { derive: 'sha256' },
      format: 'mapped',
    },
  },
  {
    id: 'canvas-live-events',
    platform: 'Canvas Live Events',
    source: 'developerdocs.instructure.com live-events (optionally a signed JWT body; public keys rotated monthly)',
    note: 'Enter the JWKS URL Instructure publishes for your region, then the mapping from a pasted event.',
    webhook: {
      verification: { scheme: 'jwt', jwksUrl: 'https://example.invalid/replace-with-the-published-jwks' },
      deliveryId: { derive: 'sha256' },
      format: 'mapped',
      mapping: { eventType: '/metadata/event_name', eventTypes: {}, studentId: '/body/user_id', courseId: '/body/course_id' },
    },
  },
];
