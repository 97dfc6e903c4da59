import { cachedOrganization, tableStores } from '../adapters/dynamodb/client.js';
import { envOrganizationSettings } from '../config.js';
import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, type Ports } from '../wiring.js';
import { getIssuerProfile } from '../use-cases/credentials.js';

export const create = (ports: Pick<Ports, 'organization' | 'settings'>) =>
  httpRoute('issuer-profile', async () => ({
    ...ok(await getIssuerProfile(ports)),
    headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  }));

export const handler = create(
  productionPorts('issuer-profile', { organization: cachedOrganization(tableStores()), settings: envOrganizationSettings }),
);
