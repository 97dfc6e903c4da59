import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:burst`: the 1,000-enrollment burst, too slow for `npm test` (minutes on 2 cores).
// Same setup as vitest.config.ts, its own files (mergeConfig would add to `include`, not replace it).
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/reliability/**/*.burst.ts'],
    testTimeout: 30 * 60_000,
  },
});
