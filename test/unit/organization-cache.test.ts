// Warm functions read the organization's settings through a short cache: one read per period,
// a fresh read once it has passed, and a save forgets what was cached (the next read is the saved one).
import { describe, expect, it } from 'vitest';
import { CachedOrganizationStore } from '../../functions/adapters/dynamodb/organization-store.js';
import type { OrganizationSettings } from '../../functions/domain/organization.js';
import type { OrganizationStore } from '../../functions/use-cases/ports/organization.js';

/** An in-memory store that counts its reads. */
class MemoryStore implements OrganizationStore {
  reads = 0;
  value: OrganizationSettings | undefined;
  async get() {
    this.reads++;
    return this.value;
  }
  async save(settings: OrganizationSettings, expectedVersion: number) {
    if ((this.value?.version ?? 0) !== expectedVersion) return false;
    this.value = { ...settings, version: expectedVersion + 1 };
    return true;
  }
}

describe('the cached organization store', () => {
  it('reads once per period, again after it, and the saved settings right after a save', async () => {
    let now = 0;
    const memory = new MemoryStore();
    const cached = new CachedOrganizationStore(memory, 60_000, () => now);
    expect(await cached.get()).toBeUndefined();
    now = 59_999;
    expect(await cached.get()).toBeUndefined();
    expect(memory.reads).toBe(1);

    expect(await cached.save({ organizationName: 'Northwind Health Academy', version: 0 }, 0)).toBe(true);
    expect(await cached.get()).toMatchObject({ organizationName: 'Northwind Health Academy', version: 1 });
    expect(memory.reads).toBe(2);

    // Another function's save is seen once the period has passed.
    memory.value = { organizationName: 'Northwind Academy', version: 2 };
    now += 59_999;
    expect((await cached.get())?.organizationName).toBe('Northwind Health Academy');
    now += 1;
    expect((await cached.get())?.organizationName).toBe('Northwind Academy');
    expect(memory.reads).toBe(3);
  });
});
