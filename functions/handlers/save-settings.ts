import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { s3OrganizationFiles } from '../adapters/aws/s3-organization-files.js';
import { envSettingsWithSender } from '../config.js';
import { httpRoute, jsonBody, ok } from '../http/handler.js';
import { productionPorts, systemClock, type Ports } from '../wiring.js';
import { saveOrganization } from '../use-cases/save-organization.js';

/** Two images of up to 200 KB each, base64-encoded, and the text fields. */
const MAX_BODY_BYTES = 640 * 1024;

const text = (max: number) => z.optional(z.string().check(z.trim(), z.maxLength(max, `must be at most ${max} characters`)));
const name = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120, 'must be at most 120 characters'));
/** A data URL replaces the image, null removes it; the object GET answers with (or nothing) keeps it. */
const image = z.optional(z.union([z.string(), z.null(), z.object({ contentType: z.optional(z.string()) })]));

const body = z.strictObject({
  organizationName: name,
  logo: image,
  websiteUrl: text(300),
  supportEmail: text(254),
  senderName: text(120),
  senderEmail: text(254),
  replyTo: text(254),
  signatory: z.optional(z.nullable(z.strictObject({ name, title: name, signatureImage: image }))),
  expectedVersion: z.optional(z.number().check(z.int(), z.minimum(0))),
  // What GET answers besides: a client may send it back; it is the store's to set, and ignored.
  version: z.optional(z.unknown()),
  updatedAt: z.optional(z.unknown()),
  updatedBy: z.optional(z.unknown()),
});

/** An empty string is a field left blank: unset. */
const filled = (value: string | undefined) => (value ? value : undefined);
const imageInput = (value: z.infer<typeof image>) => (typeof value === 'string' || value === null ? value : undefined);

export const create = (ports: Pick<Ports, 'organization' | 'organizationFiles' | 'clock' | 'settings'>) =>
  httpRoute('save-settings', async (request) => {
    const input = jsonBody(request, body, { maxBytes: MAX_BODY_BYTES });
    const optional = {
      websiteUrl: input.websiteUrl,
      supportEmail: input.supportEmail,
      senderName: input.senderName,
      senderEmail: input.senderEmail,
      replyTo: input.replyTo,
    };
    return ok(
      await saveOrganization(
        ports,
        {
          organizationName: input.organizationName,
          ...Object.fromEntries(Object.entries(optional).flatMap(([key, value]) => (filled(value) ? [[key, value]] : []))),
          ...(input.logo !== undefined ? { logo: imageInput(input.logo) } : {}),
          ...(input.signatory
            ? {
                signatory: {
                  name: input.signatory.name,
                  title: input.signatory.title,
                  ...(input.signatory.signatureImage !== undefined ? { signatureImage: imageInput(input.signatory.signatureImage) } : {}),
                },
              }
            : {}),
          ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
        },
        request.actor!,
      ),
    );
  });

export const handler = create(
  productionPorts('save-settings', {
    organization: tableStores().organization,
    organizationFiles: s3OrganizationFiles,
    clock: () => systemClock,
    settings: envSettingsWithSender,
  }),
);
