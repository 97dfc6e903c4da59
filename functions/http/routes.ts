// The route table: the one list of HTTP routes. The local server and the CDK HTTP API are both
// generated from it, and the authorization tests iterate over it, so a route added here is
// served, deployed and tested in one edit. Each route's handler is functions/handlers/<id>.ts.
import type { Access } from '../access.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call a route:
 * - public: anyone (no token required)
 * - partner: anyone at the gateway; the handler verifies the Standard Webhooks signature
 * - user: a signed-in student or admin; the handler scopes data to the caller
 * - staff: an admin, or a member of the viewer group (read-only staff: funders, case managers); read routes only
 * - admin: a member of the admin or super_admin group; every route that changes something
 */
export type RouteAuth = 'public' | 'partner' | 'user' | 'staff' | 'admin';

/** Routes that need a signed-in caller (the JWT authorizer on AWS, local mode's check). */
export const SIGNED_IN_AUTH: readonly RouteAuth[] = ['user', 'staff', 'admin'];

export interface Route {
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` for a path parameter. */
  path: string;
  auth: RouteAuth;
  /** What the handler touches (functions/access.ts): infra grants exactly this, local mode enforces it. */
  access: readonly Access[];
  /** Served by the local server only; never deployed (e.g. the local token endpoint). */
  localOnly?: boolean;
  /** Steady-state requests per second and burst allowed at the gateway. */
  throttle: { rate: number; burst: number };
  summary: string;
}

const STANDARD = { rate: 50, burst: 100 };
const PARTNERS = { rate: 100, burst: 200 };

export const ROUTES = [
  { id: 'health', method: 'GET', path: '/api/health', auth: 'public', access: [], throttle: STANDARD, summary: 'Liveness check' },
  {
    id: 'list-programs',
    method: 'GET',
    path: '/api/programs',
    auth: 'public',
    access: ['table:read'],
    throttle: STANDARD,
    summary: 'Programs with their partner steps',
  },
  {
    id: 'save-program',
    method: 'PUT',
    path: '/api/admin/programs/{programId}',
    auth: 'admin',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: 'Create a program or save a new version of it',
  },
  {
    id: 'create-enrollment',
    method: 'POST',
    path: '/api/enrollments',
    auth: 'admin',
    access: ['table:read', 'table:write', 'workflow:start'],
    throttle: STANDARD,
    summary: 'Enroll a student: generate the steps and start the first partner',
  },
  {
    id: 'get-enrollment',
    method: 'GET',
    path: '/api/enrollments/{id}',
    auth: 'user',
    access: ['table:read'],
    throttle: STANDARD,
    summary: "One enrollment (its student's or any, for admins)",
  },
  {
    id: 'list-my-enrollments',
    method: 'GET',
    path: '/api/me/enrollments',
    auth: 'user',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: "The caller's enrollments",
  },
  {
    id: 'list-enrollments',
    method: 'GET',
    path: '/api/admin/enrollments',
    auth: 'staff',
    access: ['table:read'],
    throttle: STANDARD,
    summary: 'Enrollments by program, status, partner, step status, stuck, overdue, creation dates and name or email; sorted, paged',
  },
  {
    id: 'complete-step',
    method: 'POST',
    path: '/api/admin/enrollments/{id}/steps/{sequence}/complete',
    auth: 'admin',
    access: ['table:read', 'table:write', 'workflow:start'],
    throttle: STANDARD,
    summary: 'Mark a step complete by hand, with a reason',
  },
  {
    id: 'waive-step',
    method: 'POST',
    path: '/api/admin/enrollments/{id}/steps/{sequence}/waive',
    auth: 'admin',
    access: ['table:read', 'table:write', 'workflow:start'],
    throttle: STANDARD,
    summary: 'Waive a step, with a reason',
  },
  {
    id: 'skip-step',
    method: 'POST',
    path: '/api/admin/enrollments/{id}/steps/{sequence}/skip',
    auth: 'admin',
    access: ['table:read', 'table:write', 'workflow:start'],
    throttle: STANDARD,
    summary: 'Skip an optional step, with a reason',
  },
  {
    id: 'retry-workflow',
    method: 'POST',
    path: '/api/admin/enrollments/{id}/retry',
    auth: 'admin',
    access: ['table:read', 'table:write', 'workflow:start'],
    throttle: STANDARD,
    summary: 'Re-run a failed workflow',
  },
  {
    id: 'mark-email-sent',
    method: 'POST',
    path: '/api/admin/enrollments/{id}/email/mark-sent',
    auth: 'admin',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: 'Record as sent a completion email whose outcome was unknown, with a reason',
  },
  {
    id: 'cancel-enrollment',
    method: 'POST',
    path: '/api/admin/enrollments/{id}/cancel',
    auth: 'admin',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: 'Cancel an active enrollment, with a reason (the student can be enrolled again)',
  },
  {
    id: 'link-partner-account',
    method: 'POST',
    path: '/api/admin/partner-accounts',
    auth: 'admin',
    access: ['table:read', 'table:write', 'workflow:start'],
    throttle: STANDARD,
    summary: "Link a student's partner account and re-apply its unmatched events",
  },
  {
    id: 'list-unmatched-events',
    method: 'GET',
    path: '/api/admin/unmatched-events',
    auth: 'staff',
    access: ['table:read'],
    throttle: STANDARD,
    summary: 'Partner events that matched no student or step',
  },
  {
    id: 'dismiss-unmatched-event',
    method: 'POST',
    path: '/api/admin/unmatched-events/dismiss',
    auth: 'admin',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: 'Settle an unmatched partner event without applying it, with a reason',
  },
  {
    id: 'get-pipeline',
    method: 'GET',
    path: '/api/admin/pipeline',
    auth: 'staff',
    access: ['table:read'],
    throttle: STANDARD,
    summary: 'Students per partner and status, completion rates, stuck students',
  },
  {
    id: 'partner-webhook',
    method: 'POST',
    path: '/api/webhooks/partners/{partnerId}',
    auth: 'partner',
    access: ['table:read', 'table:write', 'workflow:start', 'partner-secrets:read'],
    throttle: PARTNERS,
    summary: 'Signed completion events from partner platforms',
  },
  {
    id: 'verify-certificate',
    method: 'GET',
    path: '/api/certificates/{id}',
    auth: 'public',
    access: ['table:read'],
    throttle: STANDARD,
    summary: 'Public certificate verification',
  },
  {
    id: 'download-certificate',
    method: 'GET',
    path: '/api/certificates/{id}/pdf',
    auth: 'user',
    access: ['table:read', 'certificates:read'],
    throttle: STANDARD,
    summary: 'Certificate PDF for its owner or an admin (redirect to a short-lived URL)',
  },
  {
    id: 'create-event-endpoint',
    method: 'POST',
    path: '/api/admin/event-endpoints',
    auth: 'admin',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: "Register an endpoint for Baton's outbound events (its signing secret is shown once)",
  },
  {
    id: 'list-event-endpoints',
    method: 'GET',
    path: '/api/admin/event-endpoints',
    auth: 'admin',
    access: ['table:read'],
    throttle: STANDARD,
    summary: 'The registered event endpoints and their state',
  },
  {
    id: 'delete-event-endpoint',
    method: 'DELETE',
    path: '/api/admin/event-endpoints/{endpointId}',
    auth: 'admin',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: 'Delete an event endpoint',
  },
  {
    id: 'list-event-deliveries',
    method: 'GET',
    path: '/api/admin/event-endpoints/{endpointId}/deliveries',
    auth: 'admin',
    access: ['table:read'],
    throttle: STANDARD,
    summary: "An endpoint's delivery log, newest first",
  },
  {
    id: 'replay-event-delivery',
    method: 'POST',
    path: '/api/admin/event-endpoints/{endpointId}/deliveries/{deliveryId}/replay',
    auth: 'admin',
    access: ['table:read', 'table:write', 'events:enqueue'],
    throttle: STANDARD,
    summary: 'Send a delivery again, with the same webhook-id',
  },
  {
    id: 'test-event-endpoint',
    method: 'POST',
    path: '/api/admin/event-endpoints/{endpointId}/test',
    auth: 'admin',
    access: ['table:read', 'table:write', 'events:enqueue'],
    throttle: STANDARD,
    summary: 'Send a signed test ping to an endpoint',
  },
  {
    id: 'rotate-event-endpoint-secret',
    method: 'POST',
    path: '/api/admin/event-endpoints/{endpointId}/rotate-secret',
    auth: 'admin',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: 'A new signing secret; the previous one keeps signing for a day',
  },
  {
    id: 'enable-event-endpoint',
    method: 'POST',
    path: '/api/admin/event-endpoints/{endpointId}/enable',
    auth: 'admin',
    access: ['table:read', 'table:write'],
    throttle: STANDARD,
    summary: 'Enable an endpoint Baton disabled',
  },
  {
    id: 'create-export',
    method: 'POST',
    path: '/api/admin/exports',
    auth: 'staff',
    access: ['table:read', 'table:write', 'exports:enqueue'],
    throttle: STANDARD,
    summary: "Start a CSV export of enrollments (with the list's filters) or certificates (by issue date)",
  },
  {
    id: 'get-export',
    method: 'GET',
    path: '/api/admin/exports/{exportId}',
    auth: 'staff',
    access: ['table:read', 'exports:read'],
    throttle: STANDARD,
    summary: "An export's progress, and its download link once it is ready",
  },
  {
    id: 'count-unmatched-events',
    method: 'GET',
    path: '/api/admin/unmatched-events/count',
    auth: 'staff',
    access: ['table:read'],
    throttle: STANDARD,
    summary: 'How many partner events wait in the unmatched inbox (a counter, for the navigation)',
  },
  {
    id: 'dev-token',
    method: 'POST',
    path: '/api/dev/token',
    auth: 'public',
    access: [],
    localOnly: true,
    throttle: STANDARD,
    summary: 'Local mode only: a signed access token for an email',
  },
  {
    id: 'dev-clock',
    method: 'GET',
    path: '/api/dev/clock',
    auth: 'public',
    access: [],
    localOnly: true,
    throttle: STANDARD,
    summary: "Local mode only: local mode's current time",
  },
  {
    id: 'dev-clock-advance',
    method: 'POST',
    path: '/api/dev/clock',
    auth: 'public',
    access: [],
    localOnly: true,
    throttle: STANDARD,
    summary: "Local mode only: move local mode's clock forward and run every scheduled job once",
  },
] as const satisfies readonly Route[];

export type RouteId = (typeof ROUTES)[number]['id'];

export function routeById(id: RouteId): Route {
  return ROUTES.find((r) => r.id === id)!;
}

/** The routes a deployed API serves. */
export const DEPLOYED_ROUTES: readonly Route[] = ROUTES.filter((r) => !('localOnly' in r && r.localOnly));
