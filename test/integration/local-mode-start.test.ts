// `npm start` refuses to start with one line that says what is wrong: no Java, or a workflow type AWS does not have.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local/baton.js';

/** Runs `npm start`'s entry point with extra environment; these cases all end before serving. */
const start = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-start-')), ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('local mode start-up', () => {
  it('says which JRE to install when java is missing', () => {
    const result = start({ PATH: '/nonexistent' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Java 17 or newer is required to run DynamoDB Local');
    expect(result.stderr).toContain('apt-get install -y default-jre-headless');
  });

  it('refuses a workflow type the deploy does not have, before starting anything', () => {
    const result = start({ WORKFLOW_TYPE: 'SYNC' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('WORKFLOW_TYPE must be EXPRESS or STANDARD');
  });
});
