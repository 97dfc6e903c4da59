// Configuration from the environment, validated where it is read: a missing variable fails at
// the first use with its name, not as an undefined deep inside an SDK call.

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Missing environment variable ${name}`);
  }
  return value;
}

export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Public site URL (verification links, emails), from SITE_URL. */
export const envSettings = () => ({ siteUrl: requireEnv('SITE_URL').replace(/\/+$/, '') });
