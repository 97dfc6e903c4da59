// Cognito Pre Token Generation trigger (V2_0 event): puts the user's verified email into the
// ACCESS token. The site sends access tokens, API Gateway's JWT authorizer passes their claims to
// the handlers, and handlers identify students by `sub` + `email` (see actorFromClaims). Cognito
// access tokens carry no email by default.
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { foldEmail } from '../domain/email.js';

export async function handler(event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> {
  const { email, email_verified: verified } = event.request.userAttributes;
  // An unverified address (e.g. a pending change) must not become an identity the API trusts.
  if (!email || verified !== 'true') return event;
  const overrides = event.response.claimsAndScopeOverrideDetails ?? {};
  event.response.claimsAndScopeOverrideDetails = {
    ...overrides,
    accessTokenGeneration: {
      ...overrides.accessTokenGeneration,
      claimsToAddOrOverride: { ...overrides.accessTokenGeneration?.claimsToAddOrOverride, email: foldEmail(email) },
    },
  };
  return event;
}
