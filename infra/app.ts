// The CDK app entry (cdk.json runs `npx tsx infra/app.ts`). Settings: -c stage=dev|prod
// -c senderEmail=… and the optional ones in infra/config.ts; see docs/deploy.md.
import { App } from 'aws-cdk-lib';
import { buildBatonApp } from './baton-app.js';

buildBatonApp(new App());
