// Who is an admin: a Cognito group named exactly `admin` or `super_admin`; who is a viewer: `viewer`. One rule for the API
// (functions/http/handler.ts) and the site (web/src/auth/session.ts), so the site never shows an
// admin what the API then refuses.

/** Groups that make an admin. */
export const ADMIN_GROUPS: readonly string[] = ['admin', 'super_admin'];

export const isAdminGroups = (groups: readonly string[]) => groups.some((g) => ADMIN_GROUPS.includes(g));

/** Groups that make a read-only staff member (funders, case managers): they see the pipeline, lists and exports, and change nothing. */
export const VIEWER_GROUPS: readonly string[] = ['viewer'];

/** Admins and viewers are staff: they may read every student's enrollments; only admins change them. */
export const isStaffGroups = (groups: readonly string[]) => isAdminGroups(groups) || groups.some((g) => VIEWER_GROUPS.includes(g));

/**
 * The caller's groups, as whole names. API Gateway's JWT authorizer passes an array claim as one
 * string, `[a b]`: the names in brackets, one space between them (`[admin]` for one group, `[]` for
 * none); local mode's server flattens the same way (local/server.ts). Real arrays (a local token's
 * claims read directly) are taken element by element. Nothing else is read as groups: no commas,
 * no trimming, so a group named `students,admin` or ` admin` is never `admin`.
 *
 * The flattening cannot tell a space inside a name from the space between two names. Cognito's
 * group names cannot contain white space (CreateGroup's pattern), so for its tokens `[a b]` is
 * unambiguous; Baton counts only exact tokens, and a flattened value with an empty token (a
 * leading, trailing or doubled space, which only a name with surrounding spaces produces) gives no
 * groups at all rather than a guess.
 */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value !== 'string' || value.length < 2 || !value.startsWith('[') || !value.endsWith(']')) return [];
  const inner = value.slice(1, -1);
  if (inner === '') return [];
  const names = inner.split(' ');
  return names.includes('') ? [] : names;
}
