// Partners' JSON Web Key Sets (jwt scheme) through jose's createRemoteJWKSet, one per URL for the
// life of the warm function: keys are cached for 10 minutes, and a token whose key id the cached
// set lacks makes it fetch again (at most every 30 s), which is how a monthly key rotation is
// picked up without a deploy.
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { KeySets } from '../use-cases/ports/services.js';

export class RemoteKeySets implements KeySets {
  private readonly sets = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly options: { cacheMaxAgeMs?: number; cooldownMs?: number; timeoutMs?: number } = {}) {}

  forUrl(url: string): JWTVerifyGetKey {
    let set = this.sets.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), {
        cacheMaxAge: this.options.cacheMaxAgeMs ?? 600_000,
        cooldownDuration: this.options.cooldownMs ?? 30_000,
        timeoutDuration: this.options.timeoutMs ?? 3_000,
      });
      this.sets.set(url, set);
    }
    return set;
  }
}
