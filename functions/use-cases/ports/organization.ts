// The organization's settings and files, and the key that signs its credentials.
import type { JsonWebKey } from 'node:crypto';
import type { OrganizationSettings } from '../../domain/organization.js';

export interface OrganizationStore {
  /** The saved settings, or undefined before an admin saves any. */
  get(): Promise<OrganizationSettings | undefined>;
  /** Saves version `expectedVersion + 1`; false when another save got there first. */
  save(settings: OrganizationSettings, expectedVersion: number): Promise<boolean>;
}

/** The organization's uploaded images (logo, signature), stored privately under their content-derived names. */
export interface OrganizationFiles {
  put(file: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(file: string): Promise<{ bytes: Uint8Array; contentType: string } | undefined>;
}

/** Signs credentials with the issuer's key, whose private half never leaves it (KMS; a key file in local mode). */
export interface CredentialSigner {
  /** The public key as a JWK (RSA, no private part) and its id (the RFC 7638 thumbprint). */
  publicKey(): Promise<{ keyId: string; jwk: JsonWebKey }>;
  /** An RSASSA-PKCS1-v1_5 SHA-256 signature (JWS RS256) of the message. */
  sign(message: Uint8Array): Promise<Uint8Array>;
}
