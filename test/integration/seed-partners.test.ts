// The five seed partners are data: local mode's first start (and `npm run seed`, the same use case)
// creates them with the catalog's courses and the seed webhook contract; seeding again creates
// only what is missing and leaves a partner an admin edited as the admin made it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_CATALOG } from '../../functions/domain/catalog.js';
import { SEED_PARTNER_IDS } from '../../functions/domain/seed-partners.js';
import { seedPartners } from '../../functions/use-cases/partners.js';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
});
afterAll(() => baton?.stop());

describe('the seed partners', () => {
  it('are created on first start with every course the catalog names for them, verified as Standard Webhooks', async () => {
    const { partners } = (await baton.api('GET', '/api/admin/partners', { as: ADMIN })).body as {
      partners: Array<{ id: string; status: string; courses: Array<{ courseId: string }>; webhook: unknown }>;
    };
    expect(partners.map((p) => p.id).sort()).toEqual([...SEED_PARTNER_IDS].sort());
    for (const partner of partners) {
      expect(partner).toMatchObject({
        status: 'active',
        webhook: { verification: { scheme: 'standard-webhooks' }, deliveryId: { header: 'webhook-id' }, format: 'baton' },
      });
      const listed = new Set(partner.courses.map((c) => c.courseId));
      const named = PROGRAM_CATALOG.flatMap((p) => p.steps).filter((s) => s.partnerId === partner.id);
      expect(named.length).toBeGreaterThan(0);
      expect(named.filter((s) => !listed.has(s.courseId))).toEqual([]);
    }
  });

  it('are seeded again without touching a partner an admin edited', async () => {
    const hsi = (await baton.api('GET', '/api/admin/partners/hsi', { as: ADMIN })).body;
    const { webhookPath: _path, secrets: _secrets, changes: _changes, id: _id, version: _v, ...rest } = hsi;
    const { createdAt: _c, createdBy: _cb, updatedAt: _u, updatedBy: _ub, ...definition } = rest;
    const edited = await baton.api('PUT', '/api/admin/partners/hsi', { as: ADMIN, body: { ...definition, name: 'HSI (Otis)' } });
    expect(edited.status).toBe(200);

    expect(await seedPartners(baton.ports)).toEqual({ partners: 5, created: 0 });
    expect((await baton.api('GET', '/api/admin/partners/hsi', { as: ADMIN })).body).toMatchObject({ name: 'HSI (Otis)', version: 2 });
  });
});
