// The partner editor's presets are configurations an admin saves: each must pass the same
// validation as PUT /api/admin/partners (once the admin has named the event types where the
// vendor publishes none), say where its format is documented, and appear in docs/partners.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePartnerDefinition } from '../../functions/domain/partner-definition.js';
import { WEBHOOK_PRESETS } from '../../functions/domain/partner-presets.js';

const docs = readFileSync(new URL('../../docs/partners.md', import.meta.url), 'utf8');
const save = (webhook: unknown) => validatePartnerDefinition({ name: 'Preset partner', webhook }).webhook;

describe('webhook presets', () => {
  it.each(WEBHOOK_PRESETS.filter((p) => p.webhook.mapping || p.webhook.format !== 'mapped').map((p) => [p.platform, p] as const))(
    '%s saves as it is configured, once its event types are named',
    (_, preset) => {
      const { mapping } = preset.webhook;
      const completed =
        mapping && Object.keys(mapping.eventTypes).length === 0 ? { ...mapping, eventTypes: { done: 'completed' } } : mapping;
      const webhook = { ...preset.webhook, ...(completed ? { mapping: completed } : {}) };
      expect(save(webhook)).toEqual(webhook);
    },
  );

  it('leaves the event types to the admin where the vendor publishes none, and saving says so', () => {
    const incomplete = WEBHOOK_PRESETS.filter((p) => p.webhook.mapping && Object.keys(p.webhook.mapping.eventTypes).length === 0);
    expect(incomplete.map((p) => p.id)).not.toContain('thinkific');
    for (const preset of incomplete) expect(() => save(preset.webhook)).toThrow(/webhook\.mapping\.eventTypes: must name at least one/);
  });

  it('invents no body fields: where a vendor does not publish them the preset sets only verification and delivery id', () => {
    const unpublished = ['northpass', 'learnhouse', 'thought-industries', 'learnworlds'];
    const presets = WEBHOOK_PRESETS.filter((p) => unpublished.includes(p.id));
    expect(presets.map((p) => p.id).sort()).toEqual([...unpublished].sort());
    for (const preset of presets) {
      expect(Object.keys(preset.webhook).sort()).toEqual(['deliveryId', 'format', 'verification']);
      expect(() => save(preset.webhook)).toThrow(/webhook\.mapping: is required when format is "mapped"/);
    }
  });

  it('cites a source for each, and docs/partners.md lists each platform', () => {
    for (const preset of WEBHOOK_PRESETS) {
      expect(preset.source.length).toBeGreaterThan(10);
      expect(docs).toContain(`| ${preset.platform.replace(/ \(.*\)$/, '')} `);
    }
  });
});
