// docs/reliability.md is generated: its structure must be exactly what the generator renders
// (so editing the scenario catalog without regenerating fails), every scenario must be measured
// by exactly one test, and every Measured line is checked by that test when it runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SCENARIOS, parseDoc, readDoc, renderDoc } from './support/figures.js';

describe('docs/reliability.md', () => {
  it('is exactly what the generator renders from the scenario catalog and the figures it holds', () => {
    const doc = readDoc();
    expect(doc, 'regenerate it with `npm run docs:reliability`').toBe(renderDoc(parseDoc(doc)));
  });

  it('has a measured figure for every scenario in the catalog, and none for scenarios that do not exist', () => {
    const figures = parseDoc(readDoc());
    expect(Object.keys(figures).sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
    for (const [id, figure] of Object.entries(figures)) expect(figure.measured, id).not.toBe('(not measured yet)');
  });

  it('names, for every scenario, a test file that records its figure', () => {
    for (const scenario of SCENARIOS) {
      const source = readFileSync(join(REPO_ROOT, scenario.file), 'utf8');
      expect(source, `${scenario.file} should record '${scenario.id}'`).toMatch(new RegExp(`recordFigure\\(\\s*'${scenario.id}'`));
    }
  });
});
