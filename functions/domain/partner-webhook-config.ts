// How a partner's webhooks are verified and read: the verification scheme (Standard Webhooks, an
// HMAC of the body, a shared token, or a JWS body checked against a JWKS), where each delivery's
// id comes from (so deduplication works for every scheme), and the body format (the seed's JSON,
// xAPI statements, or JSON Pointer mappings of the partner's own shape).
import type { PartnerResult } from './enrollment.js';

export type Verification =
  | { scheme: 'standard-webhooks' }
  | {
      scheme: 'hmac-sha256';
      /** Lower-cased header name, e.g. "x-thinkific-hmac-sha256". */
      header: string;
      encoding: 'hex' | 'base64';
      /** Text before the signature in the header, e.g. "sha256=". */
      prefix?: string;
      /** What is signed: the raw body, or "{timestamp}.{body}" with the timestamp from `timestampHeader`. */
      signedContent: 'body' | 'timestamp.body';
      timestampHeader?: string;
      /** How far the timestamp may be from the server's clock (timestamp.body only). */
      toleranceSeconds: number;
    }
  | { scheme: 'token'; header: string; prefix?: string }
  | { scheme: 'jwt'; jwksUrl: string };

export type VerificationScheme = Verification['scheme'];
export const VERIFICATION_SCHEMES = ['standard-webhooks', 'hmac-sha256', 'token', 'jwt'] as const satisfies readonly VerificationScheme[];

/** Where a delivery's id comes from: a header, a JSON Pointer into the (verified) body, or the SHA-256 of the raw body. */
export type DeliveryIdSource = { header: string } | { pointer: string } | { derive: 'sha256' };

export type BodyFormat = 'baton' | 'xapi' | 'mapped';

/** RFC 6901 JSON Pointers into the partner's body (relative to each item when `items` is set). */
export interface BodyMapping {
  /** An array of events (a batched delivery): each item is applied and deduplicated on its own. */
  items?: string;
  eventType: string;
  /** The partner's event names that complete a step; any other name is stored and answered `ignored`. */
  eventTypes: Record<string, PartnerResult>;
  studentId?: string;
  email?: string;
  courseId: string;
  occurredAt?: string;
  score?: string;
}

export interface WebhookConfig {
  verification: Verification;
  deliveryId: DeliveryIdSource;
  format: BodyFormat;
  mapping?: BodyMapping;
}

/** A new partner's webhook configuration, and the seed partners': the seed's contract. */
export const DEFAULT_WEBHOOK: WebhookConfig = {
  verification: { scheme: 'standard-webhooks' },
  deliveryId: { header: 'webhook-id' },
  format: 'baton',
};

/** Whether the scheme verifies with shared secrets (the jwt scheme verifies with the partner's published keys). */
export const usesSecrets = (verification: Verification): boolean => verification.scheme !== 'jwt';

/** The default of a timestamped HMAC's tolerance, the same window as Standard Webhooks'. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
