// The site's run-time settings, read from /config.json so one build serves every stage.
// Local mode lists demo accounts; AWS mode names the Cognito user pool and hosted UI.

export interface DemoAccount {
  email: string;
  name: string;
  admin: boolean;
  /** Read-only staff (group viewer). */
  viewer?: boolean;
}

export interface CognitoSettings {
  /** OIDC issuer: https://cognito-idp.<region>.amazonaws.com/<userPoolId> */
  authority: string;
  clientId: string;
  /** Hosted UI domain: https://<prefix>.auth.<region>.amazoncognito.com */
  domain: string;
  redirectPath: string;
  postLogoutPath: string;
}

interface CommonConfig {
  /** '' means the API is on the site's own origin (CloudFront /api/*, or the local server). */
  apiBaseUrl: string;
  region: string;
}

export type SiteConfig =
  (CommonConfig & { mode: 'local'; demoAccounts: DemoAccount[] }) | (CommonConfig & { mode: 'aws'; auth: CognitoSettings });

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(source: Record<string, unknown>, key: string, where: string): string {
  const value = source[key];
  if (typeof value !== 'string') throw new ConfigError(`${where}${key} must be a string`);
  return value;
}

function httpsUrl(source: Record<string, unknown>, key: string, where: string): string {
  const value = text(source, key, where);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${where}${key} must be a URL, got "${value}"`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`${where}${key} must be an https URL`);
  return value.replace(/\/+$/, '');
}

function path(source: Record<string, unknown>, key: string, where: string): string {
  const value = text(source, key, where);
  if (!value.startsWith('/')) throw new ConfigError(`${where}${key} must be a path starting with "/"`);
  return value;
}

/** Checks config.json and names the field that is wrong. */
export function parseSiteConfig(raw: unknown): SiteConfig {
  if (!isObject(raw)) throw new ConfigError('config.json must be a JSON object');
  const apiBaseUrl = (typeof raw.apiBaseUrl === 'string' ? raw.apiBaseUrl : '').replace(/\/+$/, '');
  if (apiBaseUrl && !/^https?:\/\//.test(apiBaseUrl)) throw new ConfigError('apiBaseUrl must be empty (same origin) or an http(s) URL');
  const region = typeof raw.region === 'string' ? raw.region : '';

  if (raw.mode === 'local') {
    const accounts = Array.isArray(raw.demoAccounts) ? raw.demoAccounts : [];
    const demoAccounts = accounts.filter(isObject).map((a, i) => ({
      email: text(a, 'email', `demoAccounts[${i}].`),
      name: typeof a.name === 'string' ? a.name : text(a, 'email', `demoAccounts[${i}].`),
      admin: a.admin === true,
      ...(a.viewer === true ? { viewer: true } : {}),
    }));
    return { mode: 'local', apiBaseUrl, region, demoAccounts };
  }
  if (raw.mode === 'aws') {
    if (!isObject(raw.auth)) throw new ConfigError('auth must be an object with authority, clientId and domain in aws mode');
    const auth = raw.auth;
    const clientId = text(auth, 'clientId', 'auth.');
    if (!clientId) throw new ConfigError('auth.clientId must not be empty');
    return {
      mode: 'aws',
      apiBaseUrl,
      region,
      auth: {
        authority: httpsUrl(auth, 'authority', 'auth.'),
        clientId,
        domain: httpsUrl(auth, 'domain', 'auth.'),
        redirectPath: auth.redirectPath === undefined ? '/auth/callback' : path(auth, 'redirectPath', 'auth.'),
        postLogoutPath: auth.postLogoutPath === undefined ? '/' : path(auth, 'postLogoutPath', 'auth.'),
      },
    };
  }
  throw new ConfigError(`mode must be "local" or "aws", got ${JSON.stringify(raw.mode)}`);
}

export async function loadSiteConfig(fetchImpl: typeof fetch = fetch): Promise<SiteConfig> {
  let response: Response;
  try {
    response = await fetchImpl('/config.json', { cache: 'no-store' });
  } catch {
    throw new ConfigError('could not reach the site to read its settings (config.json)');
  }
  if (!response.ok) throw new ConfigError(`config.json answered ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ConfigError('config.json is not valid JSON');
  }
  return parseSiteConfig(body);
}
