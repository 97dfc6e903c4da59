// Sign-in for students and admins: a Cognito user pool (email sign-in, strong passwords, optional
// TOTP MFA, threat protection on the Plus plan), the admin groups the API checks, a public app
// client for the site (authorization code + PKCE, no secret), and the managed login domain.
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolEmail,
  UserPoolOperation,
  VerificationEmailStyle,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag.js';
import { stackIdSuffix } from '../stack-suffix.js';

/** The staff groups (functions/http/handler.ts checks `cognito:groups`): admins, and read-only viewers. */
export const STAFF_GROUPS = [
  { name: 'super_admin', precedence: 0, description: 'Administers Baton, including other admins' },
  { name: 'admin', precedence: 1, description: 'Enrolls students, overrides steps, sees the pipeline' },
  {
    name: 'viewer',
    precedence: 2,
    description: 'Read-only staff (funders, case managers): sees the pipeline, lists and exports, changes nothing',
  },
] as const;

export const AUTH_CALLBACK_PATH = '/auth/callback';
export const AUTH_LOGOUT_PATH = '/';

/** The hosted sign-in domain prefix: configured, or `baton-<stage>-<stack id suffix>` (prefixes are global per region). */
export function authDomainPrefix(stage: string, configured: string | undefined): string {
  return configured ?? Fn.join('-', ['baton', stage, stackIdSuffix()]);
}

export const authDomainUrl = (prefix: string) => `https://${prefix}.auth.${Aws.REGION}.amazoncognito.com`;

export interface AuthProps {
  retain: boolean;
  threatProtection: boolean;
  siteUrl: string;
  domainPrefix: string;
  /** Adds the verified email to access tokens (Pre Token Generation, V2_0 event). */
  preTokenGeneration: IFunction;
  /** Send Cognito's emails through SES as Baton's sender (undefined: Cognito's own, limited sender). */
  email?: { fromEmail: string; configurationSetName: string; sesVerifiedDomain?: string };
}

export class BatonAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      // The V2_0 token trigger needs Essentials or Plus; Plus adds threat protection.
      featurePlan: props.threatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(props.threatProtection ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      // Students sign up with the email their enrollment uses; they see only their own enrollments.
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email takes effect only once verified, so an unverified address never reaches a token.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userVerification: {
        emailStyle: VerificationEmailStyle.CODE,
        emailSubject: 'Your Baton verification code',
        emailBody: 'Your Baton verification code is {####}.',
      },
      userInvitation: {
        emailSubject: 'Your Baton account',
        emailBody: 'An administrator created your Baton account. Sign in with {username} and the temporary password {####}.',
      },
      // Cognito's built-in sender allows only a small daily volume; SES sends as Baton's sender (verified in SES).
      ...(props.email ? { email: UserPoolEmail.withSES({ ...props.email, fromName: 'Baton', sesRegion: Aws.REGION }) } : {}),
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, props.preTokenGeneration, LambdaVersion.V2_0);

    for (const group of STAFF_GROUPS) {
      this.userPool.addGroup(`Group-${group.name}`, {
        groupName: group.name,
        precedence: group.precedence,
        description: group.description,
      });
    }

    this.client = this.userPool.addClient('SiteClient', {
      userPoolClientName: 'baton-site',
      // A browser app cannot keep a secret: authorization code flow with PKCE instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.siteUrl}${AUTH_CALLBACK_PATH}`],
        logoutUrls: [`${props.siteUrl}${AUTH_LOGOUT_PATH}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
      authSessionValidity: Duration.minutes(5),
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login pages need a style; Cognito's default one.
    new CfnManagedLoginBranding(this, 'LoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    const pool = this.userPool.node.defaultChild!;
    acknowledgeNag(
      pool,
      'COG2',
      'MFA is optional by product decision: students sign in rarely and only see their own progress; admins are asked to enroll TOTP (docs/deploy.md).',
    );
    if (!props.threatProtection) {
      acknowledgeNag(
        pool,
        'COG8',
        'Threat protection (Plus plan) is the deploy setting threatProtection, off by default: Plus bills every monthly active user ($0.02, no free tier) where Essentials has 10,000 free. Sign-in keeps its password policy, optional TOTP MFA and Cognito’s own request throttling.',
      );
    }
  }

  /** The issuer the API's JWT authorizer trusts, also the site's OIDC authority. */
  get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
