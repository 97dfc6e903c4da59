// The admin area (loaded on demand, so students never download it): pipeline, enrollments,
// the unmatched inbox, the enrollment form, and the partners (editor, secrets, test console, delivery log).
import { useMemo } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { NotFound } from '../Simple.tsx';
import type { ComponentType } from 'react';
import { AdminDataContext, buildAdminData } from './admin-data.ts';
import { Dashboard } from './Dashboard.tsx';
import { EnrollmentDetail } from './Enrollments.tsx';
import { EnrollmentList } from './EnrollmentList.tsx';
import { EventEndpoints } from './EventEndpoints.tsx';
import { Exports } from './Exports.tsx';
import { Imports } from './Imports.tsx';
import { useCanAct } from '../../app-context.ts';
import { NotAllowed } from '../Simple.tsx';
import { NewEnrollment } from './NewEnrollment.tsx';
import { UnmatchedInbox } from './Unmatched.tsx';
import { EvidenceQueue } from './Evidence.tsx';
import { DeliveryLog } from './partners/DeliveryLog.tsx';
import { PartnerEditor } from './partners/PartnerEditor.tsx';
import { PartnerList } from './partners/PartnerList.tsx';
import { ExpiringCertificates } from './CertificateAdmin.tsx';
import { SettingsPage } from './Settings.tsx';

/** Pages that only change things: a viewer is told they are for admins. */
function AdminOnly({ page: Page }: { page: ComponentType }) {
  return useCanAct() ? <Page /> : <NotAllowed />;
}

export default function AdminApp() {
  const { api } = useApp();
  const programs = useResource(() => api.programs(), [api], { refreshOnFocus: false });
  // Partner display names come with the pipeline (the API's one list of partners).
  const partners = useResource(() => api.pipeline(7).then((p) => p.providers), [api], { refreshOnFocus: false });
  const programsFailed = !programs.data && !programs.loading;
  const reloadPrograms = programs.reload; // stable (useCallback), unlike the programs object itself
  const data = useMemo(
    () =>
      buildAdminData(
        programs.data,
        partners.data,
        programsFailed ? { error: programs.error, retry: () => void reloadPrograms() } : undefined,
      ),
    [programs.data, partners.data, programsFailed, programs.error, reloadPrograms],
  );
  return (
    <AdminDataContext.Provider value={data}>
      <Switch>
        <Route path="/admin">
          <Redirect to="/admin/dashboard" replace />
        </Route>
        <Route path="/admin/dashboard" component={Dashboard} />
        <Route path="/admin/enrollments" component={EnrollmentList} />
        <Route path="/admin/enrollments/:id" component={EnrollmentDetail} />
        <Route path="/admin/unmatched" component={UnmatchedInbox} />
        <Route path="/admin/evidence">
          <AdminOnly page={EvidenceQueue} />
        </Route>
        <Route path="/admin/enroll">
          <AdminOnly page={NewEnrollment} />
        </Route>
        <Route path="/admin/exports" component={Exports} />
        <Route path="/admin/imports">
          <AdminOnly page={Imports} />
        </Route>
        <Route path="/admin/event-endpoints">
          <AdminOnly page={EventEndpoints} />
        </Route>
        <Route path="/admin/partners">
          <AdminOnly page={PartnerList} />
        </Route>
        <Route path="/admin/partners/:id">
          <AdminOnly page={PartnerEditor} />
        </Route>
        <Route path="/admin/partners/:id/deliveries">
          <AdminOnly page={DeliveryLog} />
        </Route>
        <Route path="/admin/certificates">
          <AdminOnly page={ExpiringCertificates} />
        </Route>
        <Route path="/admin/settings">
          <AdminOnly page={SettingsPage} />
        </Route>
        <Route component={NotFound} />
      </Switch>
    </AdminDataContext.Provider>
  );
}
