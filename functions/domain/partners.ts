// Partners are data: admins add and configure any learning platform (API and site), and every
// module reads partner records through the PartnerStore port. This module holds what a partner
// is, the id rule, and the rules that need no I/O (launch links, active or not).
import type { CsvMapping } from './import-mapping.js';
import type { WebhookConfig } from './partner-webhook-config.js';

/** A partner's id: a slug (lower-case letters, digits, inner dashes; 1-40 characters). */
export type PartnerId = string;

const PARTNER_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function isPartnerId(value: unknown): value is PartnerId {
  return typeof value === 'string' && PARTNER_ID.test(value);
}

export const PARTNER_ID_RULE = '1-40 lower-case letters, digits or inner dashes (a slug such as "hsi" or "thinkific-school")';

export type PartnerStatus = 'active' | 'disabled';

export interface PartnerCourse {
  courseId: string;
  name: string;
  /** Seat time, when the partner states one. */
  hours?: number;
}

/** What an admin sets (PUT /api/admin/partners/{partnerId}). */
export interface PartnerDefinition {
  name: string;
  contactEmail?: string;
  supportUrl?: string;
  /** `{courseId}` and `{externalId}` are replaced; `{externalId}` is empty until the account is linked. */
  launchUrlTemplate?: string;
  /** Shown to students on the current step: how to sign in at the partner. */
  instructions?: string;
  courses: PartnerCourse[];
  status: PartnerStatus;
  webhook: WebhookConfig;
  /** Whether students may submit proof of completion (evidence) for this partner's steps; off for a partner whose webhook is reliable. */
  studentEvidence: boolean;
  /** How the partner's completion report files are read (imports); without it, its reports cannot be imported. */
  csv?: CsvMapping;
}

export interface Partner extends PartnerDefinition {
  id: PartnerId;
  /** Incremented on every save; a save is conditional on the version it replaces. */
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** When each webhook secret last verified a delivery (recorded at most once an hour per secret). */
  secretsLastUsed: Record<string, string>;
}

/** One entry of a partner's audit trail: who changed which fields, when. */
export interface PartnerChange {
  at: string;
  by: string;
  /** What changed, in words: field names, or "secret sec_… created". */
  changes: string[];
}

/** A partner takes evidence unless its definition turns it off (records saved before the field existed take it). */
export const acceptsEvidence = (partner: Pick<Partner, 'studentEvidence'> | undefined): boolean => partner?.studentEvidence !== false;

export const isActive = (partner: Pick<Partner, 'status'> | undefined): boolean => partner?.status === 'active';

/** The partner's launch link for a course, or undefined when it has no template. */
export function launchUrl(
  partner: Pick<Partner, 'launchUrlTemplate'> | undefined,
  courseId: string,
  externalId: string | undefined,
): string | undefined {
  if (!partner?.launchUrlTemplate) return undefined;
  return partner.launchUrlTemplate
    .replace('{courseId}', encodeURIComponent(courseId))
    .replace('{externalId}', encodeURIComponent(externalId ?? ''));
}

/** Partner records by id, for the views that show names, links and instructions. */
export type PartnerDirectory = ReadonlyMap<PartnerId, Partner>;

export const directoryOf = (partners: readonly Partner[]): PartnerDirectory => new Map(partners.map((p) => [p.id, p]));

/** The partner's display name, or its id when the record is gone. */
export const partnerName = (directory: PartnerDirectory, id: PartnerId): string => directory.get(id)?.name ?? id;

/** The fields of `after` that differ from `before` (a new partner: every field set). */
export function changedFields(before: PartnerDefinition | undefined, after: PartnerDefinition): string[] {
  const keys: Array<keyof PartnerDefinition> = [
    'name',
    'contactEmail',
    'supportUrl',
    'launchUrlTemplate',
    'instructions',
    'courses',
    'status',
    'webhook',
    'studentEvidence',
    'csv',
  ];
  if (!before) return ['created'];
  return keys.filter((key) => canonical(before[key]) !== canonical(after[key]));
}

/** JSON with object keys sorted: stored maps come back in any order. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : v,
    ) ?? 'undefined'
  );
}
