// The admin area (loaded on demand, so students never download it): pipeline, enrollments,
// the unmatched inbox, the enrollment form, and the partners (editor, secrets, test console, delivery log).
import { useMemo } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { useResource } from '../../api/use-resource.ts';
import { useApp } from '../../app-context.ts';
import { NotFound } from '../Simple.tsx';
import { AdminDataContext, buildAdminData } from './admin-data.ts';
import { Dashboard } from './Dashboard.tsx';
import { EnrollmentDetail, EnrollmentSearch } from './Enrollments.tsx';
import { NewEnrollment } from './NewEnrollment.tsx';
import { UnmatchedInbox } from './Unmatched.tsx';
import { DeliveryLog } from './partners/DeliveryLog.tsx';
import { PartnerEditor } from './partners/PartnerEditor.tsx';
import { PartnerList } from './partners/PartnerList.tsx';
import { ExpiringCertificates } from './CertificateAdmin.tsx';
import { SettingsPage } from './Settings.tsx';

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
        <Route path="/admin/enrollments" component={EnrollmentSearch} />
        <Route path="/admin/enrollments/:id" component={EnrollmentDetail} />
        <Route path="/admin/unmatched" component={UnmatchedInbox} />
        <Route path="/admin/enroll" component={NewEnrollment} />
        <Route path="/admin/partners" component={PartnerList} />
        <Route path="/admin/partners/:id" component={PartnerEditor} />
        <Route path="/admin/partners/:id/deliveries" component={DeliveryLog} />
        <Route path="/admin/certificates" component={ExpiringCertificates} />
        <Route path="/admin/settings" component={SettingsPage} />
        <Route component={NotFound} />
      </Switch>
    </AdminDataContext.Provider>
  );
}
