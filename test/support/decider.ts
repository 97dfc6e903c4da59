// Given / When / Then on the enrollment decider: what happened before, as commands each of which
// must be accepted (a refusal fails the test's setup, naming the command).
import { decide, evolveAll, type EnrollmentCommand } from '../../functions/domain/enrollment-decider.js';
import type { EnrollmentState } from '../../functions/domain/enrollment.js';

export function decidedState(commands: readonly EnrollmentCommand[]): EnrollmentState {
  let state: EnrollmentState | undefined;
  for (const command of commands) {
    const decision = decide(state, command);
    if (!decision.ok) throw new Error(`given ${command.type} was refused: ${decision.refusal.code}`);
    state = evolveAll(state, decision.events);
  }
  if (!state) throw new Error('no commands given');
  return state;
}
