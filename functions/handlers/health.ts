import { httpRoute, ok } from '../http/handler.js';
import { productionPorts, type Ports } from '../wiring.js';

// No ports; the production wiring still checks the function's configuration at cold start.
export const create = (_ports: Pick<Ports, never>) => httpRoute('health', async () => ok({ status: 'ok' }));
export const handler = create(productionPorts('health', {}));
