import { httpRoute, ok, pathParam } from '../http/handler.js';
import type { Ports, StoreName } from '../wiring.js';
import { readPartner } from '../use-cases/partners.js';
import { partnerPorts } from './partner-ports.js';

export const create = (ports: Pick<Ports, StoreName | 'secrets'>) =>
  httpRoute('get-partner', async (request) => ok(await readPartner(ports, pathParam(request, 'partnerId'))));

export const handler = create(partnerPorts('get-partner'));
