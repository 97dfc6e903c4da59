// The admins on AWS: the members of both admin groups, every page of each, by email, without
// disabled users or duplicates (someone in admin and super_admin is emailed once).
import { CognitoIdentityProviderClient, ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoAdminDirectory } from '../../functions/adapters/aws/cognito-admins.js';

const cognito = mockClient(CognitoIdentityProviderClient);
beforeEach(() => cognito.reset());

const user = (email: string, enabled = true) => ({ Enabled: enabled, Attributes: [{ Name: 'email', Value: email }] });

describe('CognitoAdminDirectory', () => {
  it("lists the enabled members of the admin groups, following each group's pages", async () => {
    cognito
      .on(ListUsersInGroupCommand, { GroupName: 'admin' })
      .resolves({ Users: [user('a@example.org'), user('gone@example.org', false)], NextToken: 'page-2' })
      .on(ListUsersInGroupCommand, { GroupName: 'admin', NextToken: 'page-2' })
      .resolves({ Users: [user('b@example.org'), { Enabled: true, Attributes: [] }] })
      .on(ListUsersInGroupCommand, { GroupName: 'super_admin' })
      .resolves({ Users: [user('a@example.org'), user('root@example.org')] });
    const emails = await new CognitoAdminDirectory(new CognitoIdentityProviderClient({}), 'us-east-1_Pool1').adminEmails();
    expect(emails.sort()).toEqual(['a@example.org', 'b@example.org', 'root@example.org']);
    const calls = cognito.commandCalls(ListUsersInGroupCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.UserPoolId === 'us-east-1_Pool1')).toBe(true);
  });
});
