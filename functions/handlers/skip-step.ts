import { createOverride } from './step-override.js';
import { transitionPorts } from './transition-ports.js';

export const create = createOverride('skip-step', 'skip');
export const handler = create(transitionPorts('skip-step'));
