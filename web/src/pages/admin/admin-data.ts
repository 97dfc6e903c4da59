// Reference data the admin screens share, loaded once per visit: the program catalog (names,
// categories, course names) and the partners (display names).
import { createContext, useContext } from 'react';
import type { Program } from '../../api/types.ts';

export interface AdminData {
  programs: Program[] | undefined;
  /** Why the catalog could not load, with a way to try again. */
  programsError?: { error: unknown; retry: () => void };
  partnerName: (partnerId: string) => string;
  courseName: (partnerId: string, courseId: string) => string;
}

export const AdminDataContext = createContext<AdminData>({
  programs: undefined,
  partnerName: (id) => id,
  courseName: (_p, courseId) => courseId,
});

export const useAdminData = () => useContext(AdminDataContext);

export function buildAdminData(
  programs: Program[] | undefined,
  partners: ReadonlyArray<{ partnerId: string; partnerName: string }> | undefined,
  programsError?: AdminData['programsError'],
): AdminData {
  const names = new Map((partners ?? []).map((p) => [p.partnerId, p.partnerName]));
  const courses = new Map<string, string>();
  for (const program of programs ?? [])
    for (const step of program.steps) courses.set(`${step.partnerId}#${step.courseId}`, step.courseName);
  return {
    programs,
    ...(programsError ? { programsError } : {}),
    partnerName: (id) => names.get(id) ?? id,
    courseName: (partnerId, courseId) => courses.get(`${partnerId}#${courseId}`) ?? courseId,
  };
}
