// POST /api/unsubscribe?token=…: one-click unsubscribe (RFC 8058). A mail provider POSTs
// "List-Unsubscribe=One-Click" with no sign-in and no cookies; the page's button POSTs the same
// form. The token in the URL is the authority (signed per student); the body is not needed. Only
// reminders stop. Answers 200 (JSON, or a page for a browser's form).
import { tableStores } from '../adapters/dynamodb/client.js';
import { configuredUnsubscribeKeys } from '../adapters/aws/secrets-manager-unsubscribe-key.js';
import { DomainError } from '../domain/errors.js';
import { HTTP_STATUS } from '../http/errors.js';
import { httpRoute, ok } from '../http/handler.js';
import { logger } from '../observability.js';
import { maskEmail, unsubscribeByLink } from '../use-cases/email-preferences.js';
import { productionPorts, systemClock, type Ports, type StoreName } from '../wiring.js';
import { invalidLinkPage, unsubscribedPage, wantsHtml } from './unsubscribe-pages.js';

export const create = (ports: Pick<Ports, StoreName | 'unsubscribeKeys' | 'clock' | 'logger'>) =>
  httpRoute('unsubscribe', async (request) => {
    const html = wantsHtml(request.headers);
    try {
      const { email } = await unsubscribeByLink(ports, request.query.token);
      return html ? unsubscribedPage(maskEmail(email)) : ok({ unsubscribed: true, reminders: false });
    } catch (error) {
      if (html && error instanceof DomainError) return invalidLinkPage(HTTP_STATUS[error.code], error.message);
      throw error;
    }
  });

export const handler = create(
  productionPorts('unsubscribe', {
    ...tableStores(),
    unsubscribeKeys: () => configuredUnsubscribeKeys(),
    clock: () => systemClock,
    logger: () => logger,
  }),
);
