// Evidence rules without I/O: a file is what its first bytes say, never its name or declared type;
// and the decider's rules for submitting, checking, approving and rejecting proof, given what
// happened before (Given / When / Then on decide and evolve, no mocks).
import { describe, expect, it } from 'vitest';
import { decide, type EnrollmentCommand } from '../../functions/domain/enrollment-decider.js';
import type { EnrollmentState } from '../../functions/domain/enrollment.js';
import { fileProblem, sniffFileType, type Evidence, type EvidenceFile } from '../../functions/domain/evidence.js';
import { decidedState } from '../support/decider.js';
import type { Program } from '../../functions/domain/programs.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const declared = (contentType: EvidenceFile['contentType'], size: number): EvidenceFile => ({
  contentType,
  size,
  status: 'awaiting_upload',
});

describe('file content', () => {
  it('recognises PDF, PNG and JPEG by their signatures, and nothing else', () => {
    expect(sniffFileType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffFileType(PNG)).toBe('image/png');
    expect(sniffFileType(JPEG)).toBe('image/jpeg');
    expect(sniffFileType(bytes('<html>%PDF-1.7'))).toBeUndefined();
    expect(sniffFileType(bytes('PK\u0003\u0004'))).toBeUndefined();
  });

  it('names the problem: HTML posing as a PDF, another type than declared, another size, over 10 MB, nothing uploaded', () => {
    const html = bytes('  <!DOCTYPE html><html>');
    expect(fileProblem(declared('application/pdf', html.length), { size: html.length, head: html })).toBe(
      'the file is not a PDF: it looks like a web page (HTML or XML); upload a PDF, PNG or JPEG',
    );
    expect(fileProblem(declared('application/pdf', PNG.length), { size: PNG.length, head: PNG })).toBe(
      'the file is a PNG image, not a PDF as declared',
    );
    expect(fileProblem(declared('image/jpeg', 100), { size: 200, head: JPEG })).toBe('the file is 200 bytes, not the 100 declared');
    expect(fileProblem(declared('image/jpeg', 11 * 1024 * 1024), { size: 11 * 1024 * 1024, head: JPEG })).toContain('at most 10485760');
    expect(fileProblem(declared('image/jpeg', 100), undefined)).toBe('the file was not uploaded');
    expect(fileProblem(declared('image/jpeg', JPEG.length), { size: JPEG.length, head: JPEG })).toBeUndefined();
  });
});

const T = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';
const program: Program = {
  id: 'p',
  name: 'Program',
  category: 'Specialized',
  steps: [
    { sequence: 1, partnerId: 'hsi', courseId: 'bls', courseName: 'BLS', required: true, completion: 'completed' },
    { sequence: 2, partnerId: 'certiport', courseId: 'ic3', courseName: 'IC3', required: true, completion: 'completed' },
  ],
  reminders: null,
  version: 1,
  updatedAt: T,
};

function given(...commands: EnrollmentCommand[]): EnrollmentState {
  const enroll: EnrollmentCommand = {
    type: 'enroll',
    at: T,
    enrollmentId: 'e-1',
    student: { id: 's', name: 'Kim', email: 'kim@test.com' },
    program,
    by: 'admin@test.com',
  };
  return decidedState([enroll, ...commands]);
}
const evidence = (id: string, file?: EvidenceFile): Evidence => ({
  id,
  submittedAt: T,
  reference: 'CARD-1',
  completedAt: T,
  credentialExpiresAt: '2028-01-01T00:00:00.000Z',
  ...(file ? { file } : {}),
  status: 'pending',
});
const submit = (id: string, sequence = 1, file?: EvidenceFile): EnrollmentCommand => ({
  type: 'submit_evidence',
  at: T,
  sequence,
  evidence: evidence(id, file),
});
const approve = (evidenceId: string): EnrollmentCommand => ({ type: 'approve_evidence', at: LATER, evidenceId, by: 'admin@test.com' });
const reject = (evidenceId: string): EnrollmentCommand => ({
  type: 'reject_evidence',
  at: LATER,
  evidenceId,
  by: 'admin@test.com',
  reason: 'illegible',
});
const outcome = (state: EnrollmentState, command: EnrollmentCommand) => {
  const decision = decide(state, command);
  return decision.ok ? decision.events.map((e) => e.type) : decision.refusal.code;
};

describe('evidence decisions', () => {
  it('takes proof for the step in progress only, one pending at a time', () => {
    const state = given();
    expect(outcome(state, submit('ev-1'))).toEqual(['evidence_submitted']);
    expect(outcome(state, submit('ev-1', 2))).toBe('STEP_NOT_STARTED');
    expect(outcome(given(submit('ev-1')), submit('ev-2'))).toBe('EVIDENCE_PENDING');
    expect(outcome(given(submit('ev-1'), reject('ev-1')), submit('ev-2'))).toEqual(['evidence_submitted']);
  });

  it('approval completes the step with the evidence as its resolution and asks the workflow to advance', () => {
    const state = given(submit('ev-1'));
    expect(outcome(state, approve('ev-1'))).toEqual(['evidence_reviewed', 'step_completed', 'advance_requested']);
    const after = given(submit('ev-1'), approve('ev-1'));
    expect(after.steps[0]!.resolution).toEqual({
      source: 'evidence',
      evidenceId: 'ev-1',
      reference: 'CARD-1',
      occurredAt: T,
      by: 'admin@test.com',
      credentialExpiresAt: '2028-01-01T00:00:00.000Z',
    });
    expect(outcome(after, approve('ev-1'))).toBe('EVIDENCE_REVIEWED');
    expect(outcome(after, reject('ev-1'))).toBe('EVIDENCE_REVIEWED');
  });

  it('a step completed another way or a cancelled enrollment refuses approval; rejection still settles it', () => {
    const completed = given(submit('ev-1'), {
      type: 'override_step',
      at: LATER,
      action: 'complete',
      sequence: 1,
      by: 'admin@test.com',
      reason: 'phoned',
    });
    expect(outcome(completed, approve('ev-1'))).toBe('STEP_ALREADY_DONE');
    expect(outcome(completed, reject('ev-1'))).toEqual(['evidence_reviewed']);
    const cancelled = given(submit('ev-1'), { type: 'cancel', at: LATER, by: 'admin@test.com', reason: 'left' });
    expect(outcome(cancelled, approve('ev-1'))).toBe('ENROLLMENT_NOT_ACTIVE');
  });

  it('a declared file must arrive and pass before approval; a refused one rejects the evidence (once)', () => {
    const file = declared('application/pdf', 10);
    const waiting = given(submit('ev-1', 1, file));
    expect(outcome(waiting, approve('ev-1'))).toBe('EVIDENCE_FILE_MISSING');
    const check = (problem?: string): EnrollmentCommand => ({
      type: 'check_evidence_file',
      at: LATER,
      evidenceId: 'ev-1',
      ...(problem ? { problem } : {}),
    });
    expect(outcome(given(submit('ev-1', 1, file), check()), approve('ev-1'))).toEqual([
      'evidence_reviewed',
      'step_completed',
      'advance_requested',
    ]);
    const refused = given(submit('ev-1', 1, file), check('it looks like a web page'));
    expect(refused.steps[0]!.evidence![0]).toMatchObject({
      status: 'rejected',
      file: { status: 'refused', problem: 'it looks like a web page' },
      review: { by: 'Baton', reason: 'The file was refused: it looks like a web page' },
    });
    expect(refused.steps[0]!.status).toBe('in_progress');
    expect(outcome(refused, check())).toEqual([]);
    expect(outcome(waiting, { type: 'check_evidence_file', at: LATER, evidenceId: 'nope' })).toBe('EVIDENCE_NOT_FOUND');
  });
});
