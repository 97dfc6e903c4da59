// SITE_URL is trimmed of trailing slashes in one place (config.ts); every link built from the
// settings is then well-formed.
import { afterEach, describe, expect, it } from 'vitest';
import { envSettings } from '../../functions/config.js';
import { verifyUrl } from '../../functions/domain/certificates.js';

const original = process.env.SITE_URL;
afterEach(() => {
  if (original === undefined) delete process.env.SITE_URL;
  else process.env.SITE_URL = original;
});

describe('envSettings', () => {
  it('drops trailing slashes from SITE_URL, so links have no double slash', () => {
    process.env.SITE_URL = 'https://learn.example.org//';
    const { siteUrl } = envSettings();
    expect(siteUrl).toBe('https://learn.example.org');
    expect(verifyUrl(siteUrl, 'ABCD-EFGH-JKMN-PQRS')).toBe('https://learn.example.org/verify/ABCD-EFGH-JKMN-PQRS');
  });

  it('fails with the variable name when SITE_URL is missing', () => {
    delete process.env.SITE_URL;
    expect(() => envSettings()).toThrow('Missing environment variable SITE_URL');
  });
});
