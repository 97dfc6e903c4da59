// The five partners Baton ships with, as data: loaded by `npm run seed` and on local mode's first
// start, then edited by admins like any other partner. Their courses are the ones the shipped
// catalog (catalog.ts) names, so every seed program step names a listed course. They sign with
// Standard Webhooks and send the seed's JSON (or xAPI statements): the seed's webhook contract.
import { PROGRAM_CATALOG } from './catalog.js';
import { DEFAULT_WEBHOOK } from './partner-webhook-config.js';
import type { PartnerCourse, PartnerDefinition, PartnerId } from './partners.js';

export const SEED_PARTNER_IDS = ['hsi', 'certiport', 'careersafe', 'jri', 'milady'] as const satisfies readonly PartnerId[];
export type SeedPartnerId = (typeof SEED_PARTNER_IDS)[number];

/** The courses of a partner that the shipped catalog uses, in catalog order. */
function catalogCourses(partnerId: PartnerId): PartnerCourse[] {
  const courses = new Map<string, PartnerCourse>();
  for (const program of PROGRAM_CATALOG)
    for (const step of program.steps)
      if (step.partnerId === partnerId && !courses.has(step.courseId))
        courses.set(step.courseId, { courseId: step.courseId, name: step.courseName });
  return [...courses.values()];
}

const seed = (
  id: SeedPartnerId,
  name: string,
  contactEmail: string,
  launchUrlTemplate: string,
  instructions: string,
): [SeedPartnerId, PartnerDefinition] => [
  id,
  {
    name,
    contactEmail,
    launchUrlTemplate,
    instructions,
    courses: catalogCourses(id),
    status: 'active',
    webhook: DEFAULT_WEBHOOK,
    studentEvidence: true,
  },
];

export const SEED_PARTNERS: ReadonlyArray<[SeedPartnerId, PartnerDefinition]> = [
  seed(
    'hsi',
    'HSI',
    'support@hsi.com',
    'https://otis.hsi.com/courses/{courseId}?learner={externalId}',
    'Sign in to HSI’s Otis portal with the email your program enrolled you with.',
  ),
  seed(
    'certiport',
    'Certiport',
    'support@certiport.com',
    'https://certiport.pearsonvue.com/exams/{courseId}?candidate={externalId}',
    'Sign in to your Certiport account; your testing center gives you the exam group id.',
  ),
  seed(
    'careersafe',
    'CareerSafe',
    'support@careersafeonline.com',
    'https://www.careersafeonline.com/courses/{courseId}?student={externalId}',
    'Use the CareerSafe key code your instructor gave you on your first sign-in.',
  ),
  seed(
    'jri',
    'JRI',
    'support@jri.org',
    'https://learn.jri.org/courses/{courseId}?learner={externalId}',
    'Sign in to JRI Learn with the email your program enrolled you with.',
  ),
  seed(
    'milady',
    'Milady',
    'support@milady.com',
    'https://www.miladytraining.com/courses/{courseId}?learner={externalId}',
    'Sign in to Milady Training with the access code from your school.',
  ),
];
