import { createOverride } from './step-override.js';
import { transitionPorts } from './transition-ports.js';

export const create = createOverride('complete-step', 'complete');
export const handler = create(transitionPorts('complete-step'));
