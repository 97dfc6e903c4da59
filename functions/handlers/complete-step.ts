import { createOverride, productionOverridePorts } from './step-override.js';

export const create = createOverride('complete-step', 'complete');
export const handler = create(productionOverridePorts());
