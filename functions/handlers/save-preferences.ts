// PUT /api/me/preferences {"reminders": true|false}: the signed-in student turns reminder emails on or off.
import * as z from 'zod/mini';
import { tableStores } from '../adapters/dynamodb/client.js';
import { httpRoute, jsonBody, ok } from '../http/handler.js';
import { logger } from '../observability.js';
import { setReminderPreference } from '../use-cases/email-preferences.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';

const body = z.strictObject({ reminders: z.boolean() });

export const create = (ports: Pick<Ports, StoreName | 'clock' | 'logger'>) =>
  httpRoute('save-preferences', async (request) => {
    const { reminders } = jsonBody(request, body);
    return ok(await setReminderPreference(ports, request.actor!, reminders));
  });

export const handler = create(
  productionPorts('save-preferences', {
    ...tableStores(),
    clock: () => systemClock,
    logger: () => logger,
  }),
);
