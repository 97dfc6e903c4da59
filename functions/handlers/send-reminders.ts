// POST /api/admin/reminders {"enrollmentIds": [...]} or {"stuckDays": n}: remind now ("Send
// reminder", "Remind all N stuck" on the dashboard), at most once a day per step, whatever clicks
// or sweeps; answers {"sent", "skipped": [{"enrollmentId", "reason"}]}.
import * as z from 'zod/mini';
import { sesMailer } from '../adapters/aws/ses-mailer.js';
import { configuredUnsubscribeKeys } from '../adapters/aws/secrets-manager-unsubscribe-key.js';
import { tableStores } from '../adapters/dynamodb/client.js';
import { envSettings } from '../config.js';
import { httpRoute, jsonBody, ok } from '../http/handler.js';
import { logger } from '../observability.js';
import { STUCK_LIMIT } from '../use-cases/pipeline.js';
import { sendNudges } from '../use-cases/nudges.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';

const body = z.union([
  z.strictObject({ enrollmentIds: z.array(z.string().check(z.maxLength(64))).check(z.minLength(1), z.maxLength(STUCK_LIMIT)) }),
  z.strictObject({ stuckDays: z.number().check(z.minimum(0), z.maximum(3650)) }),
]);

/** Stop starting new reminders this long before the function's time limit (what is left is answered "out_of_time"). */
const RESERVE_MS = 3_000;

export const create = (ports: Pick<Ports, StoreName | 'mailer' | 'unsubscribeKeys' | 'clock' | 'settings' | 'logger'>) =>
  httpRoute('send-reminders', async (request) => {
    const input = jsonBody(request, body);
    const deadline = Date.now() + (request.remainingMs?.() ?? 29_000) - RESERVE_MS;
    return ok(await sendNudges(ports, input, request.actor!, () => Date.now() < deadline));
  });

export const handler = create(
  productionPorts('send-reminders', {
    ...tableStores(),
    mailer: sesMailer,
    unsubscribeKeys: () => configuredUnsubscribeKeys(),
    clock: () => systemClock,
    settings: envSettings,
    logger: () => logger,
  }),
);
