// Stores with some of their methods replaced, for fault injection and recording in tests. Each
// port is small, so the wrapper lists its methods: a method added to the port is a compile error
// here until it is passed through.
import type { DeliveryStore } from '../../functions/use-cases/ports/deliveries.js';
import type { EnrollmentStore } from '../../functions/use-cases/ports/enrollments.js';
import type { StudentStore } from '../../functions/use-cases/ports/students.js';

export function withEnrollments(store: EnrollmentStore, overrides: Partial<EnrollmentStore>): EnrollmentStore {
  return {
    load: (...args) => store.load(...args),
    save: (...args) => store.save(...args),
    listForStudent: (...args) => store.listForStudent(...args),
    findForCourse: (...args) => store.findForCourse(...args),
    listAdvanceDue: (...args) => store.listAdvanceDue(...args),
    listScheduled: (...args) => store.listScheduled(...args),
    readList: (...args) => store.readList(...args),
    ...overrides,
  };
}

export function withDeliveries(store: DeliveryStore, overrides: Partial<DeliveryStore>): DeliveryStore {
  return {
    get: (...args) => store.get(...args),
    put: (...args) => store.put(...args),
    replace: (...args) => store.replace(...args),
    listForPartner: (...args) => store.listForPartner(...args),
    listInbox: (...args) => store.listInbox(...args),
    listWaiting: (...args) => store.listWaiting(...args),
    listUnmatchedSince: (...args) => store.listUnmatchedSince(...args),
    settleWaiting: (...args) => store.settleWaiting(...args),
    dismiss: (...args) => store.dismiss(...args),
    countUnmatched: (...args) => store.countUnmatched(...args),
    queueReapply: (...args) => store.queueReapply(...args),
    listReapplyQueue: (...args) => store.listReapplyQueue(...args),
    dequeueReapply: (...args) => store.dequeueReapply(...args),
    ...overrides,
  };
}

export function withStudents(store: StudentStore, overrides: Partial<StudentStore>): StudentStore {
  return {
    findByEmail: (...args) => store.findByEmail(...args),
    get: (...args) => store.get(...args),
    ensure: (...args) => store.ensure(...args),
    findIdByAccount: (...args) => store.findIdByAccount(...args),
    findIdByEmail: (...args) => store.findIdByEmail(...args),
    match: (...args) => store.match(...args),
    link: (...args) => store.link(...args),
    unlink: (...args) => store.unlink(...args),
    move: (...args) => store.move(...args),
    claim: (...args) => store.claim(...args),
    setRemindersOff: (...args) => store.setRemindersOff(...args),
    ...overrides,
  };
}
