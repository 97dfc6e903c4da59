// Reading the organization's settings (with their defaults) and what the API shows of them.
import {
  defaultOrganization,
  organizationFileUrl,
  publicOrganization,
  type OrganizationImage,
  type OrganizationSettings,
} from '../domain/organization.js';
import type { OrganizationStore } from './ports/organization.js';
import type { Settings } from './ports/services.js';

export type OrganizationDeps = { organization: OrganizationStore; settings: Settings };

/** The saved settings, or the defaults (the deploy-time name) until an admin saves some. */
export async function readOrganization(deps: OrganizationDeps): Promise<OrganizationSettings> {
  return (await deps.organization.get()) ?? defaultOrganization(deps.settings.organizationName);
}

const imageView = (image: OrganizationImage) => ({
  contentType: image.contentType,
  bytes: image.bytes,
  width: image.width,
  height: image.height,
});

/** What admins see and edit (GET/PUT /api/admin/settings). Images as metadata: PUT keeps them unless it sends new ones or null. */
export function organizationView(settings: OrganizationSettings, siteUrl: string) {
  return {
    organizationName: settings.organizationName,
    ...(settings.logo ? { logo: { url: organizationFileUrl(siteUrl, settings.logo.file), ...imageView(settings.logo) } } : {}),
    ...(settings.websiteUrl ? { websiteUrl: settings.websiteUrl } : {}),
    ...(settings.supportEmail ? { supportEmail: settings.supportEmail } : {}),
    ...(settings.senderName ? { senderName: settings.senderName } : {}),
    ...(settings.senderEmail ? { senderEmail: settings.senderEmail } : {}),
    ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
    ...(settings.signatory
      ? {
          signatory: {
            name: settings.signatory.name,
            title: settings.signatory.title,
            ...(settings.signatory.signature ? { signatureImage: imageView(settings.signatory.signature) } : {}),
          },
        }
      : {}),
    version: settings.version,
    ...(settings.updatedAt ? { updatedAt: settings.updatedAt } : {}),
    ...(settings.updatedBy ? { updatedBy: settings.updatedBy } : {}),
  };
}
export type OrganizationView = ReturnType<typeof organizationView>;

export async function getOrganizationSettings(deps: OrganizationDeps): Promise<OrganizationView> {
  return organizationView(await readOrganization(deps), deps.settings.siteUrl);
}

/** The public face (GET /api/organization). */
export async function getPublicOrganization(deps: OrganizationDeps) {
  return publicOrganization(await readOrganization(deps), deps.settings.siteUrl);
}
