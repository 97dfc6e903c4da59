// The KMS signing adapter with aws-sdk-client-mock: it asks KMS to sign the SHA-256 digest of the
// JWS signing input with RSASSA_PKCS1_V1_5_SHA_256 (= RS256), and publishes the key KMS returns as
// a JWK without any private part. The "KMS" here is a real RSA key doing what KMS does, so the
// JWS the adapter makes is checked with jose, which Baton does not sign with.
import { constants, createHash, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { compactVerify, importJWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsCredentialSigner } from '../../functions/adapters/aws/kms-signer.js';
import { jwkThumbprint, signJwt } from '../../functions/use-cases/jws.js';

const kms = mockClient(KMSClient);
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0e1b7a4c-1111-2222-3333-444455556666';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeEach(() => {
  kms.reset();
  kms.on(GetPublicKeyCommand).resolves({
    KeyId: KEY,
    KeySpec: 'RSA_2048',
    KeyUsage: 'SIGN_VERIFY',
    PublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  });
  // What KMS does with a digest: PKCS#1 v1.5 (type 1 padding) over the SHA-256 DigestInfo.
  kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => {
    const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), Buffer.from(input.Message)]);
    return { Signature: new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo)) };
  });
});

describe('KmsCredentialSigner', () => {
  it('signs the SHA-256 digest of the message with RSASSA_PKCS1_V1_5_SHA_256 on the configured key', async () => {
    const message = new TextEncoder().encode('header.payload');
    await new KmsCredentialSigner(new KMSClient({}), KEY).sign(message);
    const input = kms.commandCalls(SignCommand)[0]!.args[0].input;
    expect(input.KeyId).toBe(KEY);
    expect(input.SigningAlgorithm).toBe('RSASSA_PKCS1_V1_5_SHA_256');
    expect(input.MessageType).toBe('DIGEST');
    expect(Buffer.from(input.Message!)).toEqual(createHash('sha256').update(message).digest());
  });

  it('publishes the KMS public key as an RS256 JWK with no private part, named by its RFC 7638 thumbprint, read once', async () => {
    const signer = new KmsCredentialSigner(new KMSClient({}), KEY);
    const { keyId, jwk } = await signer.publicKey();
    await signer.publicKey();
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    const expected = publicKey.export({ format: 'jwk' });
    expect(jwk).toEqual({ kty: 'RSA', n: expected.n, e: expected.e, alg: 'RS256', use: 'sig' });
    expect(keyId).toBe(jwkThumbprint(expected));
    expect(keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('makes a JWS that jose verifies with the published key, with the kid its URL', async () => {
    const signer = new KmsCredentialSigner(new KMSClient({}), KEY);
    const jws = await signJwt(signer, (id) => `https://learn.example.org/api/issuer/keys/${id}`, { hello: 'world' });
    const { jwk, keyId } = await signer.publicKey();
    const { payload, protectedHeader } = await compactVerify(jws, await importJWK(jwk as never, 'RS256'));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ hello: 'world' });
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: `https://learn.example.org/api/issuer/keys/${keyId}` });
  });

  it('refuses a key that is not an RSA_2048 signing key', async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY, KeySpec: 'ECC_NIST_P256', PublicKey: new Uint8Array([1]) });
    await expect(new KmsCredentialSigner(new KMSClient({}), KEY).publicKey()).rejects.toThrow(/not an RSA_2048/);
  });
});
