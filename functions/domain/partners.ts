// The partner learning platforms Baton works with. Adding a partner is one entry here
// (plus its webhook secret); every other module reads partners from this list.

export const PARTNER_IDS = ['hsi', 'certiport', 'careersafe', 'jri', 'milady'] as const;
export type PartnerId = (typeof PARTNER_IDS)[number];

/**
 * How a partner's webhook body becomes a partner event (partner-events.ts). 'standard' reads the
 * seed's JSON and xAPI statements; a platform that sends another shape gets its own adapter there.
 */
export type WebhookAdapter = 'standard';

export interface Partner {
  id: PartnerId;
  name: string;
  /** `{courseId}` and `{externalId}` are replaced; `{externalId}` is empty until the account is linked. */
  launchUrlTemplate: string;
  contactEmail: string;
  /** How a student starts there, for the welcome email (one or two sentences). */
  instructions: string;
  webhookAdapter: WebhookAdapter;
}

export const PARTNERS: Readonly<Record<PartnerId, Partner>> = {
  hsi: {
    id: 'hsi',
    name: 'HSI',
    launchUrlTemplate: 'https://otis.hsi.com/courses/{courseId}?learner={externalId}',
    contactEmail: 'support@hsi.com',
    instructions: "Sign in to HSI's Otis learning site with the email this message was sent to; your course is on your dashboard.",
    webhookAdapter: 'standard',
  },
  certiport: {
    id: 'certiport',
    name: 'Certiport',
    launchUrlTemplate: 'https://certiport.pearsonvue.com/exams/{courseId}?candidate={externalId}',
    contactEmail: 'support@certiport.com',
    instructions:
      'Sign in to Certiport with your candidate account (create one with this email if you have none), then schedule or launch your exam.',
    webhookAdapter: 'standard',
  },
  careersafe: {
    id: 'careersafe',
    name: 'CareerSafe',
    launchUrlTemplate: 'https://www.careersafeonline.com/courses/{courseId}?student={externalId}',
    contactEmail: 'support@careersafeonline.com',
    instructions: 'Sign in to CareerSafe Online with this email; your course appears under My Courses.',
    webhookAdapter: 'standard',
  },
  jri: {
    id: 'jri',
    name: 'JRI',
    launchUrlTemplate: 'https://learn.jri.org/courses/{courseId}?learner={externalId}',
    contactEmail: 'support@jri.org',
    instructions: "Sign in to JRI's learning site with this email; your course is listed on your home page.",
    webhookAdapter: 'standard',
  },
  milady: {
    id: 'milady',
    name: 'Milady',
    launchUrlTemplate: 'https://www.miladytraining.com/courses/{courseId}?learner={externalId}',
    contactEmail: 'support@milady.com',
    instructions: 'Sign in to Milady Training with this email; your course starts from My Learning.',
    webhookAdapter: 'standard',
  },
};

export function isPartnerId(value: unknown): value is PartnerId {
  return typeof value === 'string' && (PARTNER_IDS as readonly string[]).includes(value);
}

export function partnerName(id: PartnerId): string {
  return PARTNERS[id].name;
}

export function launchUrl(partnerId: PartnerId, courseId: string, externalId: string | undefined): string {
  return PARTNERS[partnerId].launchUrlTemplate
    .replace('{courseId}', encodeURIComponent(courseId))
    .replace('{externalId}', encodeURIComponent(externalId ?? ''));
}
