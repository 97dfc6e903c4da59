import { createOverride, productionOverridePorts } from './step-override.js';

export const create = createOverride('waive-step', 'waive');
export const handler = create(productionOverridePorts());
