// The training provider's own settings: who issues the certificates and sends the emails. A small
// aggregate of its own (one record, versioned like a program): its name, logo, website, contacts,
// sender and signatory appear in the site header, every email, the certificate PDF, the
// verification page and the Open Badges issuer profile. No I/O here.
import type { Brand } from './brand.js';
import { isEmailAddress } from './email.js';
import { DomainError } from './errors.js';

/** An image the organization uploaded (logo or signature), stored privately, named by its content. */
export interface OrganizationImage {
  /** File name in the organization's file store (`logo-<sha256>.svg`): the content names it, so it never changes. */
  file: string;
  contentType: 'image/png' | 'image/svg+xml';
  bytes: number;
  width: number;
  height: number;
  /** A PNG rendition of an SVG (PDFs and email clients cannot show SVG); the file itself for a PNG. */
  pngFile: string;
}

export interface Signatory {
  name: string;
  title: string;
  signature?: OrganizationImage;
}

export interface OrganizationSettings {
  organizationName: string;
  logo?: OrganizationImage;
  websiteUrl?: string;
  supportEmail?: string;
  senderName?: string;
  senderEmail?: string;
  replyTo?: string;
  signatory?: Signatory;
  /** 0 until an admin saves them (the defaults); incremented by every save. */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

/** What an admin may set (the images come as checked files, see functions/organization/images.ts). */
export type OrganizationText = Pick<
  OrganizationSettings,
  'organizationName' | 'websiteUrl' | 'supportEmail' | 'senderName' | 'senderEmail' | 'replyTo'
> & { signatory?: { name: string; title: string } };

/** Until an admin saves settings: the name the operator deployed with (or "Baton"), nothing else. */
export function defaultOrganization(organizationName: string | undefined): OrganizationSettings {
  return { organizationName: organizationName?.trim() || 'Baton', version: 0 };
}

/** File names the public logo route serves: logos only (a signature image is never public). */
export const PUBLIC_ORGANIZATION_FILE = /^logo-[0-9a-f]{64}\.(png|svg)$/;
export const organizationFileName = (kind: 'logo' | 'signature', sha256: string, extension: 'png' | 'svg') =>
  `${kind}-${sha256}.${extension}`;

/** The public URL of a logo file (`siteUrl` without a trailing slash). */
export const organizationFileUrl = (siteUrl: string, file: string) => `${siteUrl}/api/organization/files/${file}`;

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * The rules beyond each field's shape: the sender address must be at the domain the deployment
 * sends from (SES sends only from verified identities, and IAM allows only that domain).
 */
export function checkOrganizationText(text: OrganizationText, rules: { deployedSender?: string }): OrganizationText {
  const problems: string[] = [];
  for (const field of ['supportEmail', 'senderEmail', 'replyTo'] as const) {
    const value = text[field];
    if (value !== undefined && !isEmailAddress(value)) problems.push(`${field}: must be a valid email address`);
  }
  if (text.websiteUrl !== undefined && !/^https:\/\/[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$/i.test(text.websiteUrl)) {
    problems.push('websiteUrl: must be an https:// address (for example https://www.example.org)');
  }
  if (text.senderEmail && rules.deployedSender && domainOf(text.senderEmail) !== domainOf(rules.deployedSender)) {
    problems.push(
      `senderEmail: must be an address at ${domainOf(rules.deployedSender)}, the domain this deployment sends from (SES); leave it empty to send from ${rules.deployedSender}`,
    );
  }
  if (problems.length > 0)
    throw new DomainError('VALIDATION_FAILED', problems.join('; '), { fields: problems.map((p) => p.split(':')[0]) });
  return text;
}

/** How emails present the organization: From name and address, Reply-To, and the footer. */
/** Who the organization's emails come from, and how to reach it (every email's From, Reply-To and footer). */
export function organizationBrand(settings: OrganizationSettings, siteUrl: string): Brand {
  return {
    organizationName: settings.organizationName,
    senderName: settings.senderName ?? settings.organizationName,
    ...(settings.senderEmail ? { senderAddress: settings.senderEmail } : {}),
    ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
    ...(settings.supportEmail ? { supportEmail: settings.supportEmail } : {}),
    ...(settings.websiteUrl ? { websiteUrl: settings.websiteUrl } : {}),
    siteUrl,
  };
}

/** What anyone may know about the organization (the site header, the verification page). */
export interface PublicOrganization {
  name: string;
  url?: string;
  supportEmail?: string;
  /** The logo as uploaded (SVG or PNG), for the site. */
  logoUrl?: string;
}

export function publicOrganization(settings: OrganizationSettings, siteUrl: string): PublicOrganization {
  return {
    name: settings.organizationName,
    ...(settings.websiteUrl ? { url: settings.websiteUrl } : {}),
    ...(settings.supportEmail ? { supportEmail: settings.supportEmail } : {}),
    ...(settings.logo ? { logoUrl: organizationFileUrl(siteUrl, settings.logo.file) } : {}),
  };
}
