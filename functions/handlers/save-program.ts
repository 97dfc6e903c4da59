import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { created, httpRoute, jsonBody, ok, pathParam } from '../http/handler.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { saveProgram } from '../use-cases/programs.js';

// The program's own rules (partners, duplicate courses, sequences) are checked by the domain.
const body = z.object({
  name: z.string(),
  category: z.string(),
  steps: z.array(z.unknown()),
  certificateValidityMonths: z.optional(z.unknown()),
  renewalProgramId: z.optional(z.unknown()),
  /** {afterDays, thenEveryDays, max}, or null for no reminders; left out: the default rules. */
  reminders: z.optional(z.unknown()),
  cipCode: z.optional(z.string()),
  onetCode: z.optional(z.string()),
  expectedVersion: z.optional(z.number().check(z.int(), z.minimum(0))),
});

export const create = (ports: Pick<Ports, StoreName | 'clock'>) =>
  httpRoute('save-program', async (request) => {
    const { expectedVersion, ...definition } = jsonBody(request, body);
    const result = await saveProgram(ports, pathParam(request, 'programId'), definition, expectedVersion);
    return result.created ? created(result.program) : ok(result.program);
  });

export const handler = create(productionPorts('save-program', { ...tableStores(), clock: () => systemClock }));
