import { createOverride } from './step-override.js';
import { transitionPorts } from './transition-ports.js';

export const create = createOverride('waive-step', 'waive');
export const handler = create(transitionPorts('waive-step'));
