import { s3OrganizationFiles } from '../adapters/aws/s3-organization-files.js';
import { DomainError } from '../domain/errors.js';
import { PUBLIC_ORGANIZATION_FILE } from '../domain/organization.js';
import { httpRoute, pathParam } from '../http/handler.js';
import { productionPorts, type Ports } from '../wiring.js';

// A logo's name is its content's hash, so a URL always shows the same image: cached for a year.
// An SVG was sanitized on upload, and is still served with a policy that runs nothing.
export const create = (ports: Pick<Ports, 'organizationFiles'>) =>
  httpRoute('get-organization-file', async (request) => {
    const file = pathParam(request, 'file');
    const found = PUBLIC_ORGANIZATION_FILE.test(file) ? await ports.organizationFiles.get(file) : undefined;
    if (!found) throw new DomainError('NOT_FOUND', `no organization file ${file.slice(0, 80)}`);
    return {
      status: 200,
      raw: { contentType: found.contentType, bytes: found.bytes },
      headers: {
        'cache-control': 'public, max-age=31536000, immutable',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      },
    };
  });

export const handler = create(productionPorts('get-organization-file', { organizationFiles: s3OrganizationFiles }));
