// Jittered exponential backoff between attempts that collided with concurrent writers ("full
// jitter": a random wait up to 10 ms × 2^attempt, at most 640 ms), so colliding writers spread out.
// Here, not in the domain (it waits, which is no business rule) nor in an adapter: the use cases
// and the DynamoDB adapter both retry with it, and adapters already depend on use-cases/.

const BASE_MS = 10;
const MAX_DOUBLINGS = 6;

/** The wait before retry number `attempt` (1 for the first retry). */
export const backoffDelayMs = (attempt: number, random: () => number = Math.random) =>
  random() * BASE_MS * 2 ** Math.min(attempt, MAX_DOUBLINGS);

export const backoff = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, backoffDelayMs(attempt)));
