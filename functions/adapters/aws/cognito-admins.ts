// The admins, from Cognito: the enabled members of the user pool's admin groups (ListUsersInGroup,
// every page), by their email attribute. Read when needed (an endpoint disabled is rare), so an
// admin added or removed yesterday is emailed, or not, today.
import { CognitoIdentityProviderClient, ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { userPoolId } from '../../config.js';
import { ADMIN_GROUPS } from '../../domain/groups.js';
import type { AdminDirectory } from '../../use-cases/ports/services.js';

export class CognitoAdminDirectory implements AdminDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async adminEmails(): Promise<string[]> {
    const emails = new Set<string>();
    for (const group of ADMIN_GROUPS) {
      let next: string | undefined;
      do {
        const page = await this.client.send(
          new ListUsersInGroupCommand({ UserPoolId: this.userPoolId, GroupName: group, ...(next ? { NextToken: next } : {}) }),
        );
        for (const user of page.Users ?? []) {
          const email = user.Attributes?.find((a) => a.Name === 'email')?.Value;
          if (user.Enabled !== false && email) emails.add(email);
        }
        next = page.NextToken;
      } while (next);
    }
    return [...emails];
  }
}

export const cognitoAdminDirectory = () => new CognitoAdminDirectory(new CognitoIdentityProviderClient({}), userPoolId());
