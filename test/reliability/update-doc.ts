// `npm run docs:reliability`: regenerates docs/reliability.md from the scenario catalog and the
// figures the last test runs wrote (scenarios that did not run keep the figure in the doc).
import { writeFileSync } from 'node:fs';
import { DOC_PATH, SCENARIOS, parseDoc, readDoc, readResults, renderDoc } from './support/figures.js';

const figures = { ...parseDoc(readDoc()), ...readResults() };
writeFileSync(DOC_PATH, renderDoc(figures));
const missing = SCENARIOS.filter((s) => !figures[s.id]).map((s) => s.id);
console.log(`wrote ${DOC_PATH}${missing.length ? `; not measured yet: ${missing.join(', ')}` : ''}`);
