// The Cognito Pre Token Generation trigger: the access token gains the verified email, which is
// what the API's handlers identify a student by.
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/handlers/pre-token-generation.js';
import { actorFromClaims } from '../../functions/http/handler.js';

/** A V2_0 event as Cognito sends it (response fields start as null). */
function tokenEvent(userAttributes: Record<string, string>): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Example',
    userName: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'example-client' },
    request: {
      userAttributes: { sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', 'cognito:user_status': 'CONFIRMED', ...userAttributes },
      groupConfiguration: { groupsToOverride: ['admin'], iamRolesToOverride: [], preferredRole: undefined },
      scopes: ['openid', 'email'],
    },
    response: { claimsAndScopeOverrideDetails: null },
  } as unknown as PreTokenGenerationV2TriggerEvent;
}

describe('pre-token-generation trigger', () => {
  it('adds the verified email to the access token claims', async () => {
    const result = await handler(tokenEvent({ email: 'Student@Test.com', email_verified: 'true' }));
    expect(result.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: { claimsToAddOrOverride: { email: 'student@test.com' } },
    });
  });

  it('produces claims the API turns into a signed-in actor (with API Gateway’s flattened groups)', async () => {
    const result = await handler(tokenEvent({ email: 'admin@test.com', email_verified: 'true' }));
    const added = result.response.claimsAndScopeOverrideDetails.accessTokenGeneration!.claimsToAddOrOverride!;
    const claims = { sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', 'cognito:groups': '[admin]', token_use: 'access', ...added };
    expect(actorFromClaims(claims)).toEqual({ sub: claims.sub, email: 'admin@test.com', isAdmin: true, isStaff: true });
  });

  it('folds only ASCII letters, so an address outside ASCII never becomes another one', async () => {
    const result = await handler(tokenEvent({ email: '\u212Aim@Test.com', email_verified: 'true' }));
    expect(result.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride?.email).toBe('\u212Aim@test.com');
  });

  it('adds nothing while the email is unverified, so an unconfirmed address is never trusted', async () => {
    const result = await handler(tokenEvent({ email: 'someone-else@test.com', email_verified: 'false' }));
    expect(result.response.claimsAndScopeOverrideDetails).toBeNull();
  });

  it('keeps overrides already in the response', async () => {
    const event = tokenEvent({ email: 'student@test.com', email_verified: 'true' });
    event.response.claimsAndScopeOverrideDetails = {
      idTokenGeneration: { claimsToAddOrOverride: { tenant: 'baton' } },
      accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'baton' }, scopesToAdd: ['baton/read'] },
    };
    const result = await handler(event);
    expect(result.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: { claimsToAddOrOverride: { tenant: 'baton' } },
      accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'baton', email: 'student@test.com' }, scopesToAdd: ['baton/read'] },
    });
  });
});
