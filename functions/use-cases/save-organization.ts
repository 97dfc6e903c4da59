// An admin saves the organization's settings. Text fields are replaced as sent (PUT); an image is
// kept when the body leaves it out, removed with null, replaced by a new data URL — checked by
// content, stored under its content's hash (so a certificate issued with the old logo still
// renders it), then the record is saved conditional on the version it replaces.
import {
  checkOrganizationText,
  organizationFileName,
  type OrganizationImage,
  type OrganizationSettings,
  type OrganizationText,
} from '../domain/organization.js';
import { DomainError } from '../domain/errors.js';
import { checkImage, parseDataUrl, type CheckedImage } from '../organization/images.js';
import type { Actor } from './enrollments.js';
import { organizationView, readOrganization, type OrganizationView } from './organization.js';
import type { OrganizationFiles, OrganizationStore } from './ports/organization.js';
import type { Clock, Settings } from './ports/services.js';
import { retrying } from './retry.js';

export interface SaveOrganizationInput extends Omit<OrganizationText, 'signatory'> {
  /** A data URL (new logo), null (remove it) or absent (keep it). */
  logo?: string | null;
  signatory?: { name: string; title: string; signatureImage?: string | null };
  /** The version the admin edited; a save over a newer one is refused (409 SETTINGS_CHANGED). */
  expectedVersion?: number;
}

type Deps = { organization: OrganizationStore; organizationFiles: OrganizationFiles; clock: Clock; settings: Settings };

async function storeImage(deps: Deps, kind: 'logo' | 'signature', image: CheckedImage): Promise<OrganizationImage> {
  const extension = image.contentType === 'image/svg+xml' ? 'svg' : 'png';
  const file = organizationFileName(kind, image.sha256, extension);
  const pngFile = organizationFileName(kind, image.pngSha256, 'png');
  await deps.organizationFiles.put(file, image.bytes, image.contentType);
  if (pngFile !== file) await deps.organizationFiles.put(pngFile, image.png, 'image/png');
  return { file, contentType: image.contentType, bytes: image.bytes.length, width: image.width, height: image.height, pngFile };
}

async function newImage(deps: Deps, kind: 'logo' | 'signature', field: string, value: string | null | undefined) {
  if (value === undefined || value === null) return value;
  return storeImage(deps, kind, await checkImage(field, parseDataUrl(field, value)));
}

export async function saveOrganization(deps: Deps, input: SaveOrganizationInput, admin: Actor): Promise<OrganizationView> {
  const { logo, signatory, expectedVersion, ...fields } = input;
  const text = checkOrganizationText(
    { ...fields, ...(signatory ? { signatory: { name: signatory.name, title: signatory.title } } : {}) },
    deps.settings.senderEmail ? { deployedSender: deps.settings.senderEmail } : {},
  );
  // Checked (and stored) before anything is saved: a bad image is a 400 that changes nothing.
  const newLogo = await newImage(deps, 'logo', 'logo', logo);
  const newSignature = await newImage(deps, 'signature', 'signatory.signatureImage', signatory?.signatureImage);

  const saved = await retrying<OrganizationSettings>('saving the organization settings', async () => {
    const current = await readOrganization(deps);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new DomainError(
        'SETTINGS_CHANGED',
        `the settings were saved by ${current.updatedBy ?? 'someone else'} since version ${expectedVersion}; reload them and apply your change again`,
      );
    }
    const keptSignature = newSignature === undefined ? current.signatory?.signature : (newSignature ?? undefined);
    const logoAfter = newLogo === undefined ? current.logo : (newLogo ?? undefined);
    const next: OrganizationSettings = {
      organizationName: text.organizationName,
      ...(logoAfter ? { logo: logoAfter } : {}),
      ...(text.websiteUrl ? { websiteUrl: text.websiteUrl } : {}),
      ...(text.supportEmail ? { supportEmail: text.supportEmail } : {}),
      ...(text.senderName ? { senderName: text.senderName } : {}),
      ...(text.senderEmail ? { senderEmail: text.senderEmail } : {}),
      ...(text.replyTo ? { replyTo: text.replyTo } : {}),
      ...(text.signatory ? { signatory: { ...text.signatory, ...(keptSignature ? { signature: keptSignature } : {}) } } : {}),
      version: current.version + 1,
      updatedAt: deps.clock.now().toISOString(),
      updatedBy: admin.email,
    };
    if (await deps.organization.save(next, current.version)) return { done: next };
    if (expectedVersion !== undefined) {
      throw new DomainError(
        'SETTINGS_CHANGED',
        'the settings were saved by someone else just now; reload them and apply your change again',
      );
    }
    return { again: 'the settings changed while saving' };
  });
  return organizationView(saved, deps.settings.siteUrl);
}
