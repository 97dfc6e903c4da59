// The API as typed calls. Sends the access token, renews it once on a 401, and turns every
// failure into an ApiError whose message a person can act on (never a body or a stack trace).
import type { Auth } from '../auth/auth.ts';
import type {
  AdminEnrollment,
  CertificateVerification,
  DeliveryLogEntry,
  DismissedEvent,
  Enrollment,
  EnrollmentSummary,
  EventDelivery,
  EventEndpoint,
  EvidenceFileType,
  EvidenceQueueEntry,
  EvidenceStatus,
  ExportJob,
  ImportJob,
  LinkResult,
  MoveResult,
  PartnerDetail,
  PartnerSummary,
  PartnerView,
  Organization,
  OrganizationSettings,
  ExpiringCertificates,
  AdminCertificate,
  Pipeline,
  Program,
  ReapplyOutcome,
  ReplayResult,
  StoredDelivery,
  ReminderReport,
  UnmatchedEvent,
  WebhookTestResult,
} from './types.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What to tell a person about a failed request. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something unexpected went wrong. Reload the page and try again.';
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

async function toApiError(response: Response): Promise<ApiError> {
  let code = 'HTTP_ERROR';
  let detail = '';
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') detail = body.error.message;
  } catch {
    // not JSON: the status decides the message
  }
  if (response.status === 401) return new ApiError(401, 'UNAUTHENTICATED', 'Your session has ended. Sign in again to continue.');
  if (response.status === 403) return new ApiError(403, code, 'Your account is not allowed to do this.');
  if (response.status === 429) return new ApiError(429, code, 'Baton is busy right now. Wait a moment and try again.');
  if (response.status >= 500) return new ApiError(response.status, code, 'Something went wrong on our side. Try again in a minute.');
  // 4xx messages from the API name the field or rule that failed; show them with a capital.
  const message = detail ? detail[0]!.toUpperCase() + detail.slice(1) : `The request was refused (${response.status}).`;
  return new ApiError(response.status, code, message.endsWith('.') ? message : `${message}.`);
}

export interface ApiOptions {
  baseUrl: string;
  auth: Auth;
  fetch?: typeof fetch;
  /** Called when a request needs a sign-in the app cannot renew silently. */
  onSessionEnded?: () => void;
}

type Json = Record<string, unknown>;

export function createApi({ baseUrl, auth, fetch: fetchImpl = (...args) => fetch(...args), onSessionEnded }: ApiOptions) {
  async function send(method: string, path: string, options: { body?: Json; signedIn?: boolean } = {}): Promise<Response> {
    const attempt = (token: string | undefined) =>
      fetchImpl(`${baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(options.body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(options.body ? { body: JSON.stringify(options.body) } : {}),
      });
    const call = async (token: string | undefined) => {
      try {
        return await attempt(token);
      } catch {
        throw new ApiError(0, 'NETWORK', 'Could not reach Baton. Check your connection and try again.');
      }
    };
    if (options.signedIn === false) return call(undefined);

    let session = auth.current() ?? (await auth.renew());
    if (!session) {
      onSessionEnded?.();
      throw new ApiError(401, 'UNAUTHENTICATED', 'Your session has ended. Sign in again to continue.');
    }
    let response = await call(session.accessToken);
    if (response.status === 401) {
      session = await auth.renew();
      if (session) response = await call(session.accessToken);
      if (response.status === 401) onSessionEnded?.();
    }
    return response;
  }

  async function text(path: string): Promise<string> {
    const response = await send('GET', path, { signedIn: false });
    if (!response.ok) throw await toApiError(response);
    return response.text();
  }

  async function json<T>(method: string, path: string, options?: { body?: Json; signedIn?: boolean }): Promise<T> {
    const response = await send(method, path, options);
    if (!response.ok) throw await toApiError(response);
    return (await response.json()) as T;
  }

  const id = encodeURIComponent;
  return {
    myEnrollments: () => json<{ enrollments: Enrollment[] }>('GET', '/api/me/enrollments').then((r) => r.enrollments),
    enrollment: (enrollmentId: string) => json<AdminEnrollment>('GET', `/api/enrollments/${id(enrollmentId)}`),
    /** One page of an enrollment list; `query` holds the list's filters (the page's URL search, as is). */
    listEnrollments: (query: URLSearchParams, cursor?: string) => {
      const params = new URLSearchParams(query);
      if (cursor) params.set('cursor', cursor);
      const search = params.toString();
      return json<{ enrollments: EnrollmentSummary[]; cursor?: string }>('GET', `/api/admin/enrollments${search ? `?${search}` : ''}`);
    },
    unmatchedCount: () => json<{ count: number }>('GET', '/api/admin/unmatched-events/count').then((r) => r.count),
    startExport: (kind: 'enrollments' | 'certificates', filters: Record<string, string>) =>
      json<{ exportId: string }>('POST', '/api/admin/exports', { body: { kind, filters } }),
    exportJob: (exportId: string) => json<ExportJob>('GET', `/api/admin/exports/${id(exportId)}`),
    imports: () => json<{ items: ImportJob[] }>('GET', '/api/admin/imports').then((r) => r.items),
    importJob: (importId: string) => json<ImportJob>('GET', `/api/admin/imports/${id(importId)}`),
    createImport: (input: { kind: 'completions' | 'enrollments'; partnerId?: string; fileName: string }) =>
      json<{ importId: string; uploadUrl: string; uploadHeaders: Record<string, string> }>('POST', '/api/admin/imports', {
        body: { ...input },
      }),
    /** PUTs a file to its presigned slot (S3 or the local server): no Baton token goes with it. */
    uploadFile: async (slot: { uploadUrl: string; uploadHeaders: Record<string, string> }, file: Blob) => {
      const response = await fetchImpl(slot.uploadUrl, { method: 'PUT', headers: slot.uploadHeaders, body: file }).catch(() => undefined);
      if (!response) throw new ApiError(0, 'NETWORK', 'The file was not uploaded. Check your connection and try again.');
      if (!response.ok) {
        const detail = /<Message>([^<]*)<\/Message>/.exec(await response.text())?.[1];
        throw new ApiError(response.status, 'UPLOAD_FAILED', `The file was not uploaded${detail ? `: ${detail}` : ''}.`);
      }
    },
    runImport: (importId: string, dryRun: boolean) =>
      json<{ importId: string; run: number }>('POST', `/api/admin/imports/${id(importId)}/run`, { body: { dryRun } }),
    eventEndpoints: () => json<{ endpoints: EventEndpoint[] }>('GET', '/api/admin/event-endpoints').then((r) => r.endpoints),
    createEventEndpoint: (input: { url: string; events: string[]; description?: string }) =>
      json<EventEndpoint & { secret: string }>('POST', '/api/admin/event-endpoints', { body: { ...input } }),
    deleteEventEndpoint: (endpointId: string) => json<{ deleted: true }>('DELETE', `/api/admin/event-endpoints/${id(endpointId)}`),
    rotateEventSecret: (endpointId: string) =>
      json<EventEndpoint & { secret: string }>('POST', `/api/admin/event-endpoints/${id(endpointId)}/rotate-secret`),
    enableEventEndpoint: (endpointId: string) => json<EventEndpoint>('POST', `/api/admin/event-endpoints/${id(endpointId)}/enable`),
    testEventEndpoint: (endpointId: string) => json<{ deliveryId: string }>('POST', `/api/admin/event-endpoints/${id(endpointId)}/test`),
    eventDeliveries: (endpointId: string, cursor?: string) =>
      json<{ deliveries: EventDelivery[]; cursor?: string }>(
        'GET',
        `/api/admin/event-endpoints/${id(endpointId)}/deliveries?limit=25${cursor ? `&cursor=${id(cursor)}` : ''}`,
      ),
    replayEventDelivery: (endpointId: string, deliveryId: string) =>
      json<{ deliveryId: string }>('POST', `/api/admin/event-endpoints/${id(endpointId)}/deliveries/${id(deliveryId)}/replay`),
    createEnrollment: (input: {
      studentEmail: string;
      studentName?: string;
      programId: string;
      partnerAccounts?: Record<string, string>;
    }) => json<AdminEnrollment>('POST', '/api/enrollments', { body: { ...input } }),
    /** Skip is for optional steps only (the API answers 409 STEP_REQUIRED for a required one). */
    overrideStep: (
      enrollmentId: string,
      sequence: number,
      action: 'complete' | 'waive' | 'skip',
      input: { reason: string; partnerId: string },
    ) => json<AdminEnrollment>('POST', `/api/admin/enrollments/${id(enrollmentId)}/steps/${sequence}/${action}`, { body: { ...input } }),
    /** `resendEmail` also allows a second completion email when the first one's outcome is unknown. */
    retryWorkflow: (enrollmentId: string, options: { resendEmail?: boolean } = {}) =>
      json<AdminEnrollment>('POST', `/api/admin/enrollments/${id(enrollmentId)}/retry`, {
        body: options.resendEmail ? { resendEmail: true } : {},
      }),
    /** Records as sent a completion email whose outcome was unknown (409 EMAIL_NOT_PENDING when none is). */
    markEmailSent: (enrollmentId: string, reason: string) =>
      json<AdminEnrollment>('POST', `/api/admin/enrollments/${id(enrollmentId)}/email/mark-sent`, { body: { reason } }),
    cancelEnrollment: (enrollmentId: string, reason: string) =>
      json<AdminEnrollment>('POST', `/api/admin/enrollments/${id(enrollmentId)}/cancel`, { body: { reason } }),
    pipeline: (stuckDays: number) => json<Pipeline>('GET', `/api/admin/pipeline?stuckDays=${stuckDays}`),
    programs: () => json<{ programs: Program[] }>('GET', '/api/programs', { signedIn: false }).then((r) => r.programs),
    unmatchedEvents: (cursor?: string) =>
      json<{ events: UnmatchedEvent[]; next?: string }>(
        'GET',
        `/api/admin/unmatched-events?limit=25${cursor ? `&cursor=${id(cursor)}` : ''}`,
      ),
    linkPartnerAccount: (input: { partnerId: string; externalId: string; studentEmail: string }) =>
      json<LinkResult>('POST', '/api/admin/partner-accounts', { body: { ...input } }),
    dismissUnmatchedEvent: (input: { partnerId: string; webhookId: string; reason: string }) =>
      json<DismissedEvent>('POST', '/api/admin/unmatched-events/dismiss', { body: { ...input } }),
    submitEvidence: (
      enrollmentId: string,
      input: {
        sequence: number;
        partnerId: string;
        reference: string;
        completedAt: string;
        expiresAt?: string;
        file?: { contentType: EvidenceFileType; size: number };
      },
    ) =>
      json<{ evidenceId: string; uploadUrl?: string; uploadHeaders?: Record<string, string> }>(
        'POST',
        `/api/enrollments/${id(enrollmentId)}/evidence`,
        { body: { ...input } },
      ),
    /** PUTs the file to its presigned slot (S3 or the local server): no Baton token goes with it. */
    confirmEvidenceFile: (enrollmentId: string, evidenceId: string) =>
      json<{ evidenceId: string; status: EvidenceStatus }>('POST', `/api/enrollments/${id(enrollmentId)}/evidence/${id(evidenceId)}/file`),
    evidenceQueue: (status: EvidenceStatus, partnerId?: string) =>
      json<{ evidence: EvidenceQueueEntry[]; next?: string; more?: boolean }>(
        'GET',
        `/api/admin/evidence?status=${status}&limit=100${partnerId ? `&partnerId=${id(partnerId)}` : ''}`,
      ),
    approveEvidence: (evidenceId: string, note?: string) =>
      json<{ evidence: EvidenceQueueEntry }>('POST', `/api/admin/evidence/${id(evidenceId)}/approve`, { body: note ? { note } : {} }),
    rejectEvidence: (evidenceId: string, reason: string) =>
      json<{ evidence: EvidenceQueueEntry }>('POST', `/api/admin/evidence/${id(evidenceId)}/reject`, { body: { reason } }),
    partners: () => json<{ partners: PartnerSummary[] }>('GET', '/api/admin/partners').then((r) => r.partners),
    partner: (partnerId: string) => json<PartnerDetail>('GET', `/api/admin/partners/${id(partnerId)}`),
    savePartner: (partnerId: string, definition: Json) =>
      json<PartnerView>('PUT', `/api/admin/partners/${id(partnerId)}`, { body: definition }),
    /** No value: one is generated. The answer is the only time the value is shown. */
    createSecret: (partnerId: string, secret?: string) =>
      json<{ secretId: string; secret: string; createdAt: string }>('POST', `/api/admin/partners/${id(partnerId)}/secrets`, {
        body: secret ? { secret } : {},
      }),
    retireSecret: async (partnerId: string, secretId: string) => {
      const response = await send('DELETE', `/api/admin/partners/${id(partnerId)}/secrets/${id(secretId)}`);
      if (!response.ok) throw await toApiError(response);
    },
    testWebhook: (partnerId: string, input: { headers: Record<string, string>; body: string }) =>
      json<WebhookTestResult>('POST', `/api/admin/partners/${id(partnerId)}/webhook-test`, { body: { ...input } }),
    deliveries: (partnerId: string, options: { outcome?: string; cursor?: string; limit?: number } = {}) =>
      json<{ deliveries: DeliveryLogEntry[]; next?: string }>(
        'GET',
        `/api/admin/partners/${id(partnerId)}/deliveries?limit=${options.limit ?? 25}${options.outcome ? `&outcome=${id(options.outcome)}` : ''}${
          options.cursor ? `&cursor=${id(options.cursor)}` : ''
        }`,
      ),
    delivery: (partnerId: string, deliveryId: string) =>
      json<StoredDelivery>('GET', `/api/admin/partners/${id(partnerId)}/deliveries/${id(deliveryId)}`),
    replayDelivery: (partnerId: string, deliveryId: string) =>
      json<ReplayResult>('POST', `/api/admin/partners/${id(partnerId)}/deliveries/${id(deliveryId)}/replay`),
    unlinkAccount: (partnerId: string, externalId: string, reason: string) =>
      json<{ partnerId: string; externalId: string; studentId: string }>(
        'DELETE',
        `/api/admin/partner-accounts/${id(partnerId)}/${id(externalId)}`,
        {
          body: { reason },
        },
      ),
    moveAccount: (partnerId: string, externalId: string, input: { studentEmail: string; reason: string }) =>
      json<MoveResult>('POST', `/api/admin/partner-accounts/${id(partnerId)}/${id(externalId)}/move`, { body: { ...input } }),
    reapplyEvent: (partnerId: string, externalId: string, input: { webhookId: string; reason: string }) =>
      json<ReapplyOutcome>('POST', `/api/admin/partner-accounts/${id(partnerId)}/${id(externalId)}/reapply`, { body: { ...input } }),
    reopenStep: (enrollmentId: string, sequence: number, input: { reason: string; partnerId: string }) =>
      json<AdminEnrollment>('POST', `/api/admin/enrollments/${id(enrollmentId)}/steps/${sequence}/reopen`, { body: { ...input } }),
    verifyCertificate: (certificateId: string) =>
      json<CertificateVerification>('GET', `/api/certificates/${id(certificateId)}`, { signedIn: false }),
    /** The organization's public face (the header, the verification page). */
    organization: () => json<Organization>('GET', '/api/organization', { signedIn: false }),
    settings: () => json<OrganizationSettings>('GET', '/api/admin/settings'),
    /** Images: a data URL replaces one, null removes it, leaving it out keeps it. */
    saveSettings: (input: Json) => json<OrganizationSettings>('PUT', '/api/admin/settings', { body: input }),
    expiringCertificates: (days: number, cursor?: string) =>
      json<ExpiringCertificates>('GET', `/api/admin/certificates?expiringWithinDays=${days}${cursor ? `&cursor=${id(cursor)}` : ''}`),
    revokeCertificate: (certificateId: string, reason: string) =>
      json<AdminCertificate>('POST', `/api/admin/certificates/${id(certificateId)}/revoke`, { body: { reason } }),
    /** The Open Badges 3.0 credential (a compact JWS). */
    credential: (certificateId: string) => text(`/api/certificates/${id(certificateId)}/credential`),
    /** A public document of the issuer (a key, a status list) by its URL on this site. */
    publicText: (path: string) => text(path),
    /** Reminds now: these enrollments, or everyone stuck longer than `stuckDays` (at most one reminder per step per day). */
    sendReminders: (target: { enrollmentIds: string[] } | { stuckDays: number }) =>
      json<ReminderReport>('POST', '/api/admin/reminders', { body: { ...target } }),
    /** The signed-in student's reminder emails on or off. */
    savePreferences: (preferences: { reminders: boolean }) =>
      json<{ reminders: boolean }>('PUT', '/api/me/preferences', { body: { ...preferences } }),
    /** A short-lived signed link to the PDF (navigate there; it carries no token). */
    certificateDownload: (certificateId: string) =>
      json<{ url: string; expiresAt: string }>('GET', `/api/certificates/${id(certificateId)}/pdf`),
  };
}

export type Api = ReturnType<typeof createApi>;
