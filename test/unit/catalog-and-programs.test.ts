import { describe, expect, it } from 'vitest';
import { PROGRAM_CATALOG } from '../../functions/domain/catalog.js';
import { DomainError } from '../../functions/domain/errors.js';
import { PROGRAM_CATEGORIES, sameSteps, validateProgram } from '../../functions/domain/programs.js';
import { DEFAULT_REMINDERS, reminderOffsetDays } from '../../functions/domain/reminder-rules.js';

describe('the shipped catalog', () => {
  it('has exactly 49 programs and 78 partner mappings, every one valid', () => {
    expect(PROGRAM_CATALOG).toHaveLength(49);
    expect(PROGRAM_CATALOG.reduce((n, p) => n + p.steps.length, 0)).toBe(78);
    for (const program of PROGRAM_CATALOG) expect(validateProgram(program)).toEqual(program);
    expect(new Set(PROGRAM_CATALOG.map((p) => p.id)).size).toBe(49);
  });

  it('uses the seed’s six categories with the partners the seed names for each', () => {
    const partnersBy = (category: string) =>
      [...new Set(PROGRAM_CATALOG.filter((p) => p.category === category).flatMap((p) => p.steps.map((s) => s.partnerId)))].sort();
    expect(new Set(PROGRAM_CATALOG.map((p) => p.category))).toEqual(new Set(PROGRAM_CATEGORIES));
    expect(partnersBy('Beauty/Cosmetology')).toEqual(['jri', 'milady']);
    expect(partnersBy('Technical/Trade')).toEqual(['careersafe', 'certiport']);
    expect(partnersBy('IT/Tech')).toEqual(['certiport']);
    expect(partnersBy('Business/Admin')).toEqual(['certiport', 'jri']);
    expect(partnersBy('Specialized')).toEqual(['jri']);
    // Healthcare is HSI + Certiport; Medical Assistant adds CareerSafe.
    expect(partnersBy('Healthcare')).toEqual(['careersafe', 'certiport', 'hsi']);
    const ma = PROGRAM_CATALOG.find((p) => p.name === 'Medical Assistant')!;
    expect(ma.steps.map((s) => s.partnerId)).toEqual(['hsi', 'certiport', 'careersafe']);
  });

  it('contains every program the seed names', () => {
    const names = new Set(PROGRAM_CATALOG.map((p) => p.name));
    for (const name of [
      'Medical Assistant',
      'CNA',
      'Dental Assistant',
      'Pharmacy Tech',
      'Barber',
      'Esthetician',
      'Nail Tech',
      'HVAC',
      'Automotive',
      'Diesel',
      'Manufacturing',
      'IT Support',
      'Cybersecurity',
      'Web Dev',
      'Data Analytics',
      'Admin Assistant',
      'Customer Service',
      'Bookkeeping',
      'CDL',
      'Recovery/Support',
      'Life Coach',
      'Real Estate',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('program validation', () => {
  const valid = { id: 'demo', name: 'Demo', category: 'Specialized', steps: [{ sequence: 1, partnerId: 'jri', courseId: 'c1' }] };
  const error = (input: unknown) => {
    try {
      validateProgram(input);
    } catch (e) {
      return e instanceof DomainError ? `${e.code}: ${e.message}` : String(e);
    }
    return 'no error';
  };

  it('fills defaults: required, completion "completed", course name = id', () => {
    expect(validateProgram(valid).steps).toEqual([
      { sequence: 1, partnerId: 'jri', courseId: 'c1', courseName: 'c1', required: true, completion: 'completed' },
    ]);
  });

  it('orders steps by sequence', () => {
    const program = validateProgram({
      ...valid,
      steps: [
        { sequence: 2, partnerId: 'hsi', courseId: 'b' },
        { sequence: 1, partnerId: 'jri', courseId: 'a' },
      ],
    });
    expect(program.steps.map((s) => s.courseId)).toEqual(['a', 'b']);
  });

  it('names what is wrong', () => {
    expect(error({ ...valid, steps: [] })).toBe('INVALID_PROGRAM: program demo has no steps; a program needs at least one partner step');
    expect(error({ ...valid, steps: [{ sequence: 1, partnerId: 'udemy', courseId: 'x' }] })).toBe(
      'UNKNOWN_PARTNER: program demo step 1: unknown partner "udemy"',
    );
    expect(error({ ...valid, steps: [valid.steps[0], valid.steps[0]] })).toBe(
      'INVALID_PROGRAM: program demo step 2: duplicate course jri/c1',
    );
    expect(error({ ...valid, steps: [{ sequence: 0, partnerId: 'jri', courseId: 'x' }] })).toContain('sequence must be an integer');
    expect(error({ ...valid, steps: [{ sequence: 1, partnerId: 'jri', courseId: 'x', required: false }] })).toContain(
      'at least one required step',
    );
    expect(error({ ...valid, steps: [{ sequence: 1, partnerId: 'jri', courseId: 'x', completion: 'attended' }] })).toContain(
      'completion must be',
    );
    expect(error({ ...valid, category: 'Cooking' })).toContain('category must be one of');
    expect(error({ ...valid, id: 'Has Spaces' })).toContain('program id');
  });

  it('compares steps regardless of attribute order', () => {
    const a = validateProgram(valid).steps;
    const reordered = a.map((s) => ({
      completion: s.completion,
      required: s.required,
      courseName: s.courseName,
      courseId: s.courseId,
      partnerId: s.partnerId,
      sequence: s.sequence,
    }));
    expect(sameSteps(a, reordered)).toBe(true);
    expect(sameSteps(a, [{ ...a[0]!, required: false }])).toBe(false);
  });
});

describe('reminder rules and due days', () => {
  const base = { id: 'r', name: 'R', category: 'Specialized', steps: [{ sequence: 1, partnerId: 'jri', courseId: 'c' }] };
  const refused = (input: unknown) => {
    try {
      validateProgram(input);
    } catch (error) {
      return (error as DomainError).message;
    }
    return 'accepted';
  };

  it('defaults to reminders after 3 and 10 days, then weekly, at most 5; null turns them off', () => {
    expect(validateProgram(base).reminders).toEqual({ afterDays: [3, 10], thenEveryDays: 7, max: 5 });
    expect(validateProgram({ ...base, reminders: null }).reminders).toBeNull();
    expect(validateProgram({ ...base, reminders: { afterDays: [1], thenEveryDays: null, max: 1 } }).reminders).toEqual({
      afterDays: [1],
      thenEveryDays: null,
      max: 1,
    });
    expect(reminderOffsetDays(DEFAULT_REMINDERS, 1)).toBe(3);
    expect([2, 3, 5, 6].map((n) => reminderOffsetDays(DEFAULT_REMINDERS, n))).toEqual([10, 17, 31, undefined]);
  });

  it('refuses rules that cannot be followed, saying which field is wrong', () => {
    expect(refused({ ...base, reminders: { afterDays: [10, 3], thenEveryDays: 7, max: 5 } })).toBe(
      'program r: reminders.afterDays must go up (e.g. [3, 10])',
    );
    expect(refused({ ...base, reminders: { afterDays: [0], thenEveryDays: 7, max: 5 } })).toMatch(/reminders\.afterDays must be a list/);
    expect(refused({ ...base, reminders: { afterDays: [3], thenEveryDays: 7, max: 0 } })).toMatch(
      /reminders\.max must be a whole number from 1 to 20/,
    );
    expect(refused({ ...base, reminders: { afterDays: [3], thenEveryDays: 0.5, max: 2 } })).toMatch(/reminders\.thenEveryDays/);
    expect(refused({ ...base, reminders: { afterDays: [], thenEveryDays: null, max: 2 } })).toMatch(/need afterDays or thenEveryDays/);
    expect(refused({ ...base, reminders: { afterDays: [3], max: 2, every: 1 } })).toBe('program r: reminders has unknown field every');
    expect(refused({ ...base, reminders: 'weekly' })).toMatch(/reminders must be \{"afterDays"/);
  });

  it('accepts dueDays on a step (1 to 3650 whole days) and tells a changed one from the same steps', () => {
    const due = validateProgram({ ...base, steps: [{ ...base.steps[0], dueDays: 180 }] });
    expect(due.steps[0]!.dueDays).toBe(180);
    expect(refused({ ...base, steps: [{ ...base.steps[0], dueDays: 0 }] })).toMatch(
      /step 1: dueDays must be a whole number of days from 1 to 3650/,
    );
    expect(sameSteps(due.steps, validateProgram(base).steps)).toBe(false);
  });
});
