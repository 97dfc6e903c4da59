import { httpRoute, ok } from '../http/handler.js';

export const create = () => httpRoute('health', async () => ok({ status: 'ok' }));
export const handler = create();
