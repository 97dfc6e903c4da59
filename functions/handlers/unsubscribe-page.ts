// GET /api/unsubscribe?token=…: the page the link opens. It asks and offers a button (a POST);
// it never unsubscribes by itself, since link scanners and previews follow GETs.
import { tableStores } from '../adapters/dynamodb/client.js';
import { configuredUnsubscribeKeys } from '../adapters/aws/secrets-manager-unsubscribe-key.js';
import { DomainError } from '../domain/errors.js';
import { HTTP_STATUS } from '../http/errors.js';
import { httpRoute } from '../http/handler.js';
import { logger } from '../observability.js';
import { maskEmail, studentOfLink } from '../use-cases/email-preferences.js';
import { productionPorts, type Ports, type StoreName } from '../wiring.js';
import { alreadyOffPage, confirmPage, invalidLinkPage } from './unsubscribe-pages.js';

export const create = (ports: Pick<Ports, StoreName | 'unsubscribeKeys' | 'logger'>) =>
  httpRoute('unsubscribe-page', async (request) => {
    const token = request.query.token;
    try {
      const student = await studentOfLink(ports, token);
      return student.remindersOff ? alreadyOffPage(maskEmail(student.email)) : confirmPage(token!, maskEmail(student.email));
    } catch (error) {
      if (error instanceof DomainError) return invalidLinkPage(HTTP_STATUS[error.code], error.message);
      throw error;
    }
  });

export const handler = create(
  productionPorts('unsubscribe-page', { ...tableStores(), unsubscribeKeys: () => configuredUnsubscribeKeys(), logger: () => logger }),
);
