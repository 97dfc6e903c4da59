// The organization's settings through the API: defaults until saved, what a save keeps and
// replaces, optimistic concurrency, and uploads checked by content — every bad one a 400 that
// says what is wrong and writes nothing, neither to the table nor to the file store.
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';
import { dataUrl, LOGO_SVG, signaturePng } from '../support/images.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton({ organizationName: 'Riverside Training (deploy default)' });
});
afterAll(() => baton?.stop());

const put = (body: unknown) => baton.api('PUT', '/api/admin/settings', { as: ADMIN, body });
const files = () => (existsSync(baton.organizationDir) ? readdirSync(baton.organizationDir).sort() : []);

describe('organization settings', () => {
  it('has the deploy-time name and nothing else until an admin saves settings', async () => {
    expect((await baton.api('GET', '/api/admin/settings', { as: ADMIN })).body).toEqual({
      organizationName: 'Riverside Training (deploy default)',
      version: 0,
    });
    expect((await baton.api('GET', '/api/organization')).body).toEqual({ name: 'Riverside Training (deploy default)' });
  });

  it.each([
    [
      'a PNG with a damaged body',
      {
        logo: `data:image/png;base64,${Buffer.concat([Buffer.from(signaturePng()).subarray(0, 60), Buffer.alloc(40)]).toString('base64')}`,
      },
      'logo: the PNG is damaged',
    ],
    ['a file that is neither PNG nor SVG', { logo: dataUrl('image/png', 'GIF89a not really') }, 'logo: must be a PNG or an SVG image'],
    [
      'an image over 200 KB',
      { logo: dataUrl('image/svg+xml', `<svg xmlns="http://www.w3.org/2000/svg">${' '.repeat(210 * 1024)}</svg>`) },
      'the limit is 200 KB',
    ],
    ['a logo that is not a data URL', { logo: 'https://example.org/logo.png' }, 'logo: must be a data URL'],
    ['an SVG with nothing drawable left', { logo: dataUrl('image/svg+xml', '<div><script>alert(1)</script><svg') }, 'logo:'],
    ['a website that is not https', { websiteUrl: 'http://example.org' }, 'websiteUrl: must be an https:// address'],
    [
      'a sender at another domain than the deployment’s',
      { senderEmail: 'certs@elsewhere.example' },
      'senderEmail: must be an address at baton.local',
    ],
    ['a support email that is not one', { supportEmail: 'help at example' }, 'supportEmail: must be a valid email address'],
    ['an unknown field', { colour: 'teal' }, 'colour'],
  ])('refuses %s with a 400 naming the problem, and writes nothing', async (_, fields, message) => {
    const before = { items: await baton.items(), files: files() };
    const response = await put({ organizationName: 'Riverside', ...fields });
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.body.error.message).toContain(message);
    expect({ items: await baton.items(), files: files() }).toEqual(before);
  });

  it('saves the text, the sanitized logo and the signature; a later save keeps the images it leaves out and removes one sent as null', async () => {
    const first = await put({
      organizationName: 'Riverside Training',
      logo: dataUrl('image/svg+xml', LOGO_SVG),
      supportEmail: 'help@riverside.example',
      senderName: 'Riverside Certificates',
      senderEmail: 'certificates@baton.local',
      signatory: { name: 'Ines Duarte', title: 'Registrar', signatureImage: dataUrl('image/png', signaturePng()) },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({
      version: 1,
      logo: { contentType: 'image/svg+xml' },
      signatory: { signatureImage: { contentType: 'image/png' } },
    });
    // The SVG, its PNG rendition and the signature, each named by its content.
    expect(files()).toEqual([
      expect.stringMatching(/^logo-[0-9a-f]{64}\.png$/),
      expect.stringMatching(/^logo-[0-9a-f]{64}\.svg$/),
      expect.stringMatching(/^signature-[0-9a-f]{64}\.png$/),
    ]);

    const second = await put({
      ...first.body,
      organizationName: 'Riverside Training Institute',
      signatory: { name: 'Ines Duarte', title: 'Registrar', signatureImage: null },
    });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body).toMatchObject({ organizationName: 'Riverside Training Institute', version: 2, logo: first.body.logo });
    expect(second.body.signatory).toEqual({ name: 'Ines Duarte', title: 'Registrar' });
    // Text fields are replaced as sent: the support email left out is cleared.
    const third = await put({ organizationName: 'Riverside Training Institute' });
    expect(third.body.supportEmail).toBeUndefined();
    expect(third.body.logo).toEqual(first.body.logo);
  });

  it('refuses a save over a newer version with 409 SETTINGS_CHANGED, saving nothing', async () => {
    const current = (await baton.api('GET', '/api/admin/settings', { as: ADMIN })).body;
    const before = await baton.items();
    const stale = await put({ organizationName: 'Someone else’s edit', expectedVersion: current.version - 1 });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'SETTINGS_CHANGED']);
    expect(await baton.items()).toEqual(before);
    const fresh = await put({ organizationName: 'Riverside', expectedVersion: current.version });
    expect(fresh.body.version).toBe(current.version + 1);
  });

  it('serves the logo publicly but never a signature image', async () => {
    const signature = files().find((f) => f.startsWith('signature-'))!;
    expect((await baton.api('GET', `/api/organization/files/${signature}`)).status).toBe(404);
    const logo = files().find((f) => f.startsWith('logo-') && f.endsWith('.png'))!;
    const response = await fetch(`${baton.url}/api/organization/files/${logo}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });
});
