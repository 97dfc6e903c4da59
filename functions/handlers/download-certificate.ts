import { tableStores } from '../adapters/dynamodb/client.js';
import { s3CertificateStore } from '../adapters/aws/s3-certificates.js';
import { httpRoute, ok, pathParam } from '../http/handler.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { certificateDownload } from '../use-cases/certificates.js';

// Browsers following a link get a redirect to the short-lived URL; the site, which sends a
// bearer token, asks for JSON ({"url", "expiresAt"}) and navigates there itself.
export const create = (ports: Pick<Ports, StoreName | 'certificates'>) =>
  httpRoute('download-certificate', async (request) => {
    const download = await certificateDownload(ports, pathParam(request, 'id'), request.actor!);
    if ((request.headers.accept ?? '').includes('application/json')) return ok(download);
    return { status: 302, headers: { location: download.url } };
  });

export const handler = create(productionPorts('download-certificate', { ...tableStores(), certificates: s3CertificateStore }));
