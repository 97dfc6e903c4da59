// The uploads bucket's local stand-in keeps S3's rules for presigned slots: the signed
// Content-Type, the expiry (on local mode's clock) and the size, refused while the body is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
beforeAll(async () => {
  baton = await startTestBaton();
});
afterAll(() => baton?.stop());

const slot = (key: string, maxBytes = 1000) =>
  baton.ports.uploads.createSlot({ key, contentType: 'text/csv', maxBytes, expiresInSeconds: 60 });

describe('upload slots (local mode)', () => {
  it('stores the body PUT with the signed headers, and reads it back through a link', async () => {
    const { url, headers } = await slot('imports/uploads/a');
    const put = await fetch(url, { method: 'PUT', headers, body: 'email,course\n' });
    expect(put.status).toBe(200);
    expect(await baton.ports.uploads.head('imports/uploads/a')).toEqual({ size: 13 });
    const link = await baton.ports.uploads.linkToRead('imports/uploads/a', 60, 'report.csv');
    const got = await fetch(link);
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="report.csv"');
    expect(await got.text()).toBe('email,course\n');
  });

  it('refuses another content type, a changed signature, an expired slot and a body over the limit, storing nothing', async () => {
    const { url, headers } = await slot('imports/uploads/b', 10);
    const wrongType = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: 'x' });
    expect(wrongType.status).toBe(403);
    const tampered = await fetch(url.replace(/max=10/, 'max=100000'), { method: 'PUT', headers, body: 'x' });
    expect(tampered.status).toBe(403);
    const tooBig = await fetch(url, { method: 'PUT', headers, body: 'x'.repeat(11) }).catch(() => undefined);
    expect(tooBig === undefined || tooBig.status === 400).toBe(true);
    expect(await baton.ports.uploads.head('imports/uploads/b')).toBeUndefined();

    const later = await slot('imports/uploads/c');
    baton.clock.advance(61_000);
    const expired = await fetch(later.url, { method: 'PUT', headers: later.headers, body: 'x' });
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('expired');
    expect(await baton.ports.uploads.head('imports/uploads/c')).toBeUndefined();
  });

  it('keeps keys inside the bucket', async () => {
    await expect(slot('../outside')).rejects.toThrow(/escapes/);
  });
});
