// Local mode's stand-in for the KMS signing key: an RSA 2048 key in a file under the data dir,
// made on first start (mode 0600), kept across restarts so issued credentials stay verifiable.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { CredentialSigner } from '../functions/use-cases/ports/organization.js';
import { jwkThumbprint } from '../functions/use-cases/jws.js';

export class KeyFileSigner implements CredentialSigner {
  private readonly key: KeyObject;

  constructor(file: string) {
    if (!existsSync(file)) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      // 'wx': two processes starting at once keep the first key written, never a mix of both.
      try {
        writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    this.key = createPrivateKey(readFileSync(file));
  }

  async publicKey() {
    const { kty, n, e } = createPublicKey(this.key).export({ format: 'jwk' });
    const jwk = { kty, n, e };
    return { keyId: jwkThumbprint(jwk), jwk: { ...jwk, alg: 'RS256', use: 'sig' } };
  }

  async sign(message: Uint8Array) {
    return new Uint8Array(sign('sha256', message, this.key));
  }
}
