// The credential signing key in AWS KMS (RSA_2048, SIGN_VERIFY): the private key never leaves KMS.
// Baton hashes the JWS signing input itself and asks KMS to sign the digest
// (RSASSA_PKCS1_V1_5_SHA_256 = JWS RS256); the public key is read once per container.
import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { signingKeyId } from '../../config.js';
import type { CredentialSigner } from '../../use-cases/ports/organization.js';
import { jwkThumbprint } from '../../use-cases/jws.js';

export class KmsCredentialSigner implements CredentialSigner {
  private key?: Promise<{ keyId: string; jwk: JsonWebKey }>;

  constructor(
    private readonly client: KMSClient,
    private readonly kmsKeyId: string,
  ) {}

  publicKey() {
    this.key ??= (async () => {
      const result = await this.client.send(new GetPublicKeyCommand({ KeyId: this.kmsKeyId }));
      if (result.KeySpec !== 'RSA_2048' || !result.PublicKey) throw new Error(`KMS key ${this.kmsKeyId} is not an RSA_2048 signing key`);
      const { kty, n, e } = createPublicKey({ key: Buffer.from(result.PublicKey), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      const jwk = { kty, n, e };
      return { keyId: jwkThumbprint(jwk), jwk: { ...jwk, alg: 'RS256', use: 'sig' } };
    })();
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  async sign(message: Uint8Array) {
    const result = await this.client.send(
      new SignCommand({
        KeyId: this.kmsKeyId,
        Message: createHash('sha256').update(message).digest(),
        MessageType: 'DIGEST',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    if (!result.Signature) throw new Error('KMS returned no signature');
    return result.Signature;
  }
}

export const kmsCredentialSigner = () => new KmsCredentialSigner(new KMSClient({}), signingKeyId());
