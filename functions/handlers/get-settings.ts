import { tableStores } from '../adapters/dynamodb/client.js';
import { envOrganizationSettings } from '../config.js';
import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, type Ports } from '../wiring.js';
import { getOrganizationSettings } from '../use-cases/organization.js';

export const create = (ports: Pick<Ports, 'organization' | 'settings'>) =>
  httpRoute('get-settings', async () => ok(await getOrganizationSettings(ports)));

// Not cached: an admin reads what they just saved.
export const handler = create(
  productionPorts('get-settings', { organization: tableStores().organization, settings: envOrganizationSettings }),
);
