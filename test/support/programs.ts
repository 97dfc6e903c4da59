// Programs the tests save through the admin API when the catalog has no program of the shape
// they need (the catalog's steps are all required).
import { ADMIN, type TestBaton } from './test-baton.js';

/** HSI's BLS required; JRI's course beside it and Milady's after it, both optional. */
export const FIRST_AID_PLUS = {
  id: 'first-aid-plus',
  name: 'First Aid Plus',
  category: 'Healthcare',
  steps: [
    { sequence: 1, partnerId: 'hsi', courseId: 'bls-cpr-aed', courseName: 'BLS, CPR, AED & First Aid' },
    { sequence: 1, partnerId: 'jri', courseId: 'work-readiness', courseName: 'Work Readiness & Professional Skills', required: false },
    { sequence: 2, partnerId: 'milady', courseId: 'client-care', courseName: 'Client Care', required: false },
  ],
} as const;

/** Saves a new program as an admin; throws unless it was created. */
export async function saveProgram(baton: TestBaton, program: { id: string; name: string; category: string; steps: readonly object[] }) {
  const { id, ...body } = program;
  const saved = await baton.api('PUT', `/api/admin/programs/${id}`, { as: ADMIN, body });
  if (saved.status !== 201) throw new Error(`saving program ${id} answered ${saved.status} ${JSON.stringify(saved.body)}`);
  return saved.body;
}
