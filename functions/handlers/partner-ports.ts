// The production ports of the partner admin routes: the table, the partner secrets (Secrets
// Manager on AWS), the clock and the logger.
import { configuredPartnerSecrets } from '../adapters/aws/secrets-manager-partner-secrets.js';
import { tableStores } from '../adapters/dynamodb/client.js';
import { RemoteKeySets } from '../adapters/remote-key-sets.js';
import type { FunctionId } from '../access.js';
import { logger } from '../observability.js';
import { productionPorts, systemClock } from '../wiring.js';

export const partnerPorts = (functionId: FunctionId) =>
  productionPorts(functionId, {
    ...tableStores(),
    secrets: () => configuredPartnerSecrets(),
    keySets: () => new RemoteKeySets(),
    clock: () => systemClock,
    logger: () => logger,
  });
