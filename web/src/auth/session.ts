// Who is signed in, derived from the access token the API will see: the same claims
// (`cognito:groups`) decide admin here and in the API, so the UI never promises more than it gets.
import { groupsOf, isAdminGroups, isStaffGroups } from '../../../functions/domain/groups.ts';

/** A viewer is read-only staff: the admin pages without their actions. */
export type Role = 'student' | 'admin' | 'viewer';

export interface Session {
  email: string;
  name?: string;
  role: Role;
  groups: string[];
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Tokens this close to expiry count as expired, so a request never leaves with a dying token. */
const EXPIRY_SKEW_MS = 30_000;

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const base64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof payload !== 'object' || payload === null) throw new Error('JWT payload is not an object');
  return payload as Record<string, unknown>;
}

/** `cognito:groups` is a list in tokens; API Gateway flattens it to "[a b]": read both as the API does. */
export function groupsFromClaims(claims: Record<string, unknown>): string[] {
  return groupsOf(claims['cognito:groups']);
}

export function roleFromGroups(groups: readonly string[]): Role {
  return isAdminGroups(groups) ? 'admin' : isStaffGroups(groups) ? 'viewer' : 'student';
}

/**
 * A session from an access token. `profile` (the ID token's claims in AWS mode) supplies the
 * email and name when the access token lacks them.
 */
export function sessionFromAccessToken(accessToken: string, profile: { email?: unknown; name?: unknown } = {}): Session {
  const claims = decodeJwtPayload(accessToken);
  const groups = groupsFromClaims(claims);
  const email = [profile.email, claims.email, claims.username].find((v): v is string => typeof v === 'string' && v.length > 0);
  if (!email) throw new Error('the token names no user (no email or username claim)');
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
  const name = typeof profile.name === 'string' && profile.name ? profile.name : undefined;
  return { email, ...(name ? { name } : {}), role: roleFromGroups(groups), groups, accessToken, expiresAt: exp };
}

/** Admins and viewers see the admin area; only admins get its actions. */
export const isStaff = (role: Role) => role !== 'student';

export function isExpired(session: Pick<Session, 'expiresAt'>, now = Date.now()): boolean {
  return session.expiresAt - EXPIRY_SKEW_MS <= now;
}

/** Where each role starts. */
export function homePath(role: Role): string {
  return role === 'student' ? '/student/progress' : '/admin/dashboard';
}
