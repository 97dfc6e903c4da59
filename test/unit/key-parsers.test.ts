// The key parsers read back exactly what the builders beside them write, so a change to a key's
// layout in keys.ts cannot leave a store splitting the old layout by hand.
import { describe, expect, it } from 'vitest';
import { listKeys, parseCertificateIssuedKey, parseSearchKey } from '../../functions/adapters/dynamodb/keys.js';

describe('gsi4 key parsers', () => {
  it('reads the certificate id back from a certificateIssued sort key', () => {
    const { gsi4sk } = listKeys.certificateIssued('2026-03-01T10:00:00.000Z', 'CERT-7K2Q');
    expect(parseCertificateIssuedKey(gsi4sk)).toBe('CERT-7K2Q');
  });

  it('keeps a certificate id that holds a #', () => {
    const { gsi4sk } = listKeys.certificateIssued('2026-03-01T10:00:00.000Z', 'a#b');
    expect(parseCertificateIssuedKey(gsi4sk)).toBe('a#b');
  });

  it('reads the suffix back from a search sort key, a # in the suffix included', () => {
    for (const suffix of ['kim@test.com', 'ada lovelace', 'c#sharp@x.io', 'a']) {
      const { gsi4sk } = listKeys.search(suffix, 'stu_01HZX');
      expect(parseSearchKey(gsi4sk, 'stu_01HZX')).toBe(suffix);
    }
  });
});
