// Local mode's signing key: made on first start as a file only its owner can read, the same key
// on every later start (credentials issued before a restart still verify), and signatures that an
// independent library (jose) accepts with the published public JWK, which has no private part.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeyFileSigner } from '../../local/key-file-signer.js';

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

describe('the local key file signer', () => {
  it('creates the key file with mode 0600 and reads the same key on the next start', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-key-')), 'credential-signing-key.pem');
    const first = await new KeyFileSigner(file).publicKey();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await new KeyFileSigner(file).publicKey();
    expect(again).toEqual(first);
    expect(first.jwk).not.toHaveProperty('d');
    expect(first.jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  });

  it('signs RS256 JWS input that jose verifies with the public JWK', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-key-')), 'key.pem');
    const signer = new KeyFileSigner(file);
    const { keyId, jwk } = await signer.publicKey();
    const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: keyId }))}.${b64url('{"hello":"employer"}')}`;
    const jws = `${input}.${b64url(await signer.sign(new TextEncoder().encode(input)))}`;
    const { payload } = await compactVerify(jws, await importJWK(jwk as never, 'RS256'));
    expect(new TextDecoder().decode(payload)).toBe('{"hello":"employer"}');
    const otherKey = await new KeyFileSigner(join(mkdtempSync(join(tmpdir(), 'baton-key-')), 'key.pem')).publicKey();
    await expect(compactVerify(jws, await importJWK(otherKey.jwk as never, 'RS256'))).rejects.toThrow(/signature/);
  });
});
