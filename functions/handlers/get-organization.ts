import { cachedOrganization, tableStores } from '../adapters/dynamodb/client.js';
import { envOrganizationSettings } from '../config.js';
import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, type Ports } from '../wiring.js';
import { getPublicOrganization } from '../use-cases/organization.js';

export const create = (ports: Pick<Ports, 'organization' | 'settings'>) =>
  httpRoute('get-organization', async () => ({
    ...ok(await getPublicOrganization(ports)),
    headers: { 'cache-control': 'no-cache' },
  }));

export const handler = create(
  productionPorts('get-organization', { organization: cachedOrganization(tableStores()), settings: envOrganizationSettings }),
);
