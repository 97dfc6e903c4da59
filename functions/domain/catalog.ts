// The program catalog Baton ships with: the seed's 49 programs and 78 partner mappings in its
// six categories. Loaded on the first `npm start` and by `npm run seed`; admins edit programs
// afterwards through the API, which creates new versions.
import type { ProgramCategory, ProgramDefinition, ProgramStep } from './programs.js';
import { DEFAULT_REMINDERS } from './reminder-rules.js';

type StepSpec = Omit<ProgramStep, 'required' | 'completion'> & Partial<Pick<ProgramStep, 'required' | 'completion'>>;

const step = (
  sequence: number,
  partnerId: ProgramStep['partnerId'],
  courseId: string,
  courseName: string,
  options: Partial<Pick<ProgramStep, 'required' | 'completion'>> = {},
): StepSpec => ({ sequence, partnerId, courseId, courseName, ...options });

// Courses shared by many programs.
const HSI_BLS = step(1, 'hsi', 'bls-cpr-aed', 'BLS, CPR, AED & First Aid');
const CERTIPORT_IC3 = step(2, 'certiport', 'ic3-digital-literacy', 'IC3 Digital Literacy');
const CAREERSAFE_OSHA10 = step(1, 'careersafe', 'osha-10-general-industry', 'OSHA 10-Hour General Industry');
const CERTIPORT_ESB = step(2, 'certiport', 'esb-entrepreneurship', 'Entrepreneurship & Small Business');
const JRI_WORK_READY = step(2, 'jri', 'work-readiness', 'Work Readiness & Professional Skills');

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** CIP and O*NET-SOC codes of the catalog's occupational programs (funder reports); admins set the others. */
const CODES: Readonly<Record<string, { cipCode: string; onetCode: string }>> = {
  'medical-assistant': { cipCode: '51.0801', onetCode: '31-9092.00' },
  cna: { cipCode: '51.3902', onetCode: '31-1131.00' },
  phlebotomy: { cipCode: '51.1009', onetCode: '31-9097.00' },
  hvac: { cipCode: '47.0201', onetCode: '49-9021.00' },
  cdl: { cipCode: '49.0205', onetCode: '53-3032.00' },
  barber: { cipCode: '12.0402', onetCode: '39-5011.00' },
};

function programs(category: ProgramCategory, list: Array<[name: string, steps: StepSpec[]]>): ProgramDefinition[] {
  return list.map(([name, steps]) => ({
    id: slug(name),
    name,
    category,
    steps: steps.map((s) => ({ required: true, completion: 'completed', ...s })),
    reminders: DEFAULT_REMINDERS,
    ...(CODES[slug(name)] ?? {}),
  }));
}

const healthcare = (certiportCourse: StepSpec): StepSpec[] => [HSI_BLS, certiportCourse];
const beauty = (miladyCourse: string, courseName: string): StepSpec[] => [step(1, 'milady', miladyCourse, courseName), JRI_WORK_READY];
const trade = (certiportCourse: StepSpec): StepSpec[] => [CAREERSAFE_OSHA10, certiportCourse];
const itCertification = (courseId: string, courseName: string): StepSpec[] => [
  // Certiport certifications are exams: only a passing result completes the step.
  step(1, 'certiport', courseId, courseName, { completion: 'passed' }),
];
// Business programs take the professional-skills course and the certification in parallel.
const business = (certiportCourse: string, courseName: string): StepSpec[] => [
  step(1, 'jri', 'business-professionalism', 'Business Professionalism'),
  step(1, 'certiport', certiportCourse, courseName),
];
const specialized = (courseId: string, courseName: string): StepSpec[] => [step(1, 'jri', courseId, courseName)];

export const PROGRAM_CATALOG: readonly ProgramDefinition[] = [
  ...programs('Healthcare', [
    [
      'Medical Assistant',
      [
        HSI_BLS,
        step(2, 'certiport', 'mos-word', 'Microsoft Office Specialist: Word'),
        step(3, 'careersafe', 'osha-10-healthcare', 'OSHA 10-Hour Healthcare'),
      ],
    ],
    ['CNA', healthcare(CERTIPORT_IC3)],
    ['Dental Assistant', healthcare(CERTIPORT_IC3)],
    ['Pharmacy Tech', healthcare(step(2, 'certiport', 'mos-excel', 'Microsoft Office Specialist: Excel'))],
    ['Phlebotomy Technician', healthcare(CERTIPORT_IC3)],
    ['Patient Care Technician', healthcare(CERTIPORT_IC3)],
    ['EKG Technician', healthcare(CERTIPORT_IC3)],
    ['Medical Billing and Coding', healthcare(step(2, 'certiport', 'mos-excel', 'Microsoft Office Specialist: Excel'))],
    ['Home Health Aide', healthcare(CERTIPORT_IC3)],
    ['Sterile Processing Technician', healthcare(CERTIPORT_IC3)],
  ]),
  ...programs('Beauty/Cosmetology', [
    ['Barber', beauty('barbering', 'Milady Standard Barbering')],
    ['Esthetician', beauty('esthetics', 'Milady Standard Esthetics')],
    ['Nail Tech', beauty('nail-technology', 'Milady Standard Nail Technology')],
    ['Cosmetology', beauty('cosmetology', 'Milady Standard Cosmetology')],
    ['Makeup Artist', beauty('makeup-artistry', 'Milady Makeup Artistry')],
    ['Hair Braiding', beauty('natural-hair-braiding', 'Milady Natural Hair Care & Braiding')],
  ]),
  ...programs('Technical/Trade', [
    ['HVAC', trade(step(2, 'certiport', 'autodesk-autocad', 'Autodesk Certified User: AutoCAD'))],
    ['Automotive', trade(CERTIPORT_ESB)],
    ['Diesel', trade(CERTIPORT_ESB)],
    ['Manufacturing', trade(step(2, 'certiport', 'autodesk-inventor', 'Autodesk Certified User: Inventor'))],
    ['Welding', trade(CERTIPORT_ESB)],
    ['Electrical', trade(CERTIPORT_IC3)],
    ['Plumbing', trade(CERTIPORT_ESB)],
    ['Construction Trades', trade(step(2, 'certiport', 'autodesk-revit', 'Autodesk Certified User: Revit'))],
  ]),
  ...programs('IT/Tech', [
    ['IT Support', itCertification('it-specialist-device-config', 'IT Specialist: Device Configuration')],
    ['Cybersecurity', itCertification('it-specialist-cybersecurity', 'IT Specialist: Cybersecurity')],
    ['Web Dev', itCertification('it-specialist-html-css', 'IT Specialist: HTML and CSS')],
    ['Data Analytics', itCertification('it-specialist-data-analytics', 'IT Specialist: Data Analytics')],
    ['Network Administration', itCertification('it-specialist-networking', 'IT Specialist: Networking')],
    ['Cloud Computing', itCertification('it-specialist-cloud', 'IT Specialist: Cloud Computing')],
    ['Software Development', itCertification('it-specialist-java', 'IT Specialist: Java')],
    ['Python Programming', itCertification('it-specialist-python', 'IT Specialist: Python')],
    ['Database Administration', itCertification('it-specialist-databases', 'IT Specialist: Databases')],
    ['Digital Literacy', itCertification('ic3-digital-literacy', 'IC3 Digital Literacy')],
    ['Graphic Design', itCertification('adobe-photoshop', 'Adobe Certified Professional: Photoshop')],
  ]),
  ...programs('Business/Admin', [
    ['Admin Assistant', business('mos-word', 'Microsoft Office Specialist: Word')],
    ['Customer Service', business('csb-communication', 'Communication Skills for Business')],
    ['Bookkeeping', business('quickbooks-certified-user', 'QuickBooks Certified User')],
    ['Office Management', business('mos-excel', 'Microsoft Office Specialist: Excel')],
  ]),
  ...programs('Specialized', [
    ['CDL', specialized('cdl-entry-level-driver', 'Entry-Level Driver Training Theory')],
    ['Recovery/Support', specialized('peer-recovery-support', 'Peer Recovery Support Specialist')],
    ['Life Coach', specialized('life-coaching', 'Life Coaching Foundations')],
    ['Real Estate', specialized('real-estate-prelicensing', 'Real Estate Pre-Licensing')],
    ['Community Health Worker', specialized('community-health-worker', 'Community Health Worker Core')],
    ['Reentry Workforce Readiness', specialized('reentry-readiness', 'Reentry Workforce Readiness')],
    ['Youth Mentor', specialized('youth-mentoring', 'Youth Mentoring Essentials')],
    ['Financial Literacy', specialized('financial-literacy', 'Financial Literacy Coach')],
    ['Entrepreneurship', specialized('entrepreneurship-basics', 'Entrepreneurship Basics')],
    ['Security Officer', specialized('security-officer', 'Unarmed Security Officer')],
  ]),
];
