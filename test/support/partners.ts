// Partners the tests create through the admin API, their secrets, and requests signed the way
// each scheme's platforms sign (HMAC headers, tokens, JWS bodies against a local JWKS server).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { sendWebhook } from '../../local/partner-webhook-client.js';
import { ADMIN, type TestBaton } from './test-baton.js';

/** Creates (or replaces) a partner as an admin; throws unless the API accepted it. */
export async function putPartner(baton: TestBaton, id: string, definition: Record<string, unknown>) {
  const saved = await baton.api('PUT', `/api/admin/partners/${id}`, { as: ADMIN, body: definition });
  if (saved.status !== 200 && saved.status !== 201) throw new Error(`saving partner ${id}: ${saved.status} ${JSON.stringify(saved.body)}`);
  return saved.body;
}

/** A new generated secret (or the supplied one) for the partner: its value, shown this once. */
export async function createSecret(baton: TestBaton, id: string, secret?: string): Promise<{ secretId: string; secret: string }> {
  const created = await baton.api('POST', `/api/admin/partners/${id}/secrets`, { as: ADMIN, body: secret ? { secret } : {} });
  if (created.status !== 201) throw new Error(`creating a secret for ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

/** Posts headers and a body to the partner's webhook URL. */
export function post(
  baton: TestBaton,
  partnerId: string,
  request: { headers: Record<string, string>; body: string },
): Promise<{ status: number; body: any }> {
  return sendWebhook(`${baton.url}/api/webhooks/partners/${partnerId}`, { id: '', ...request });
}

/** A JSON Web Key Set served on 127.0.0.1, whose keys a test can rotate. */
export interface KeySetServer {
  url: string;
  /** Adds a key pair and publishes its public key; returns what signs with it. */
  addKey(): Promise<{ kid: string; privateKey: CryptoKey }>;
  /** Stops publishing a key. */
  removeKey(kid: string): void;
  sign(key: { kid: string; privateKey: CryptoKey }, payload: Record<string, unknown>, options?: { issuedAt?: Date }): Promise<string>;
  fetches: () => number;
  close(): Promise<void>;
}

export async function startKeySetServer(): Promise<KeySetServer> {
  const published = new Map<string, JWK>();
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [...published.values()] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let n = 0;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    async addKey() {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const kid = `key-${++n}-${Date.now()}`;
      published.set(kid, { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' });
      return { kid, privateKey };
    },
    removeKey: (kid) => void published.delete(kid),
    async sign(key, payload, options = {}) {
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', kid: key.kid })
        .setIssuedAt(Math.floor((options.issuedAt ?? new Date()).getTime() / 1000))
        .sign(key.privateKey);
    },
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
