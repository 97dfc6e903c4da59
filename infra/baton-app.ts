// Builds the Baton CDK app from its context; infra/app.ts (cdk.json's entry) and the infra tests
// both call this, so what the tests check is what `cdk deploy` deploys.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BatonStack } from './baton-stack.js';
import { CONTEXT_KEYS, parseConfig } from './config.js';

/** `baton-dev` / `baton-prod`: stages live side by side in one account. */
export const stackName = (stage: string) => `baton-${stage}`;

export function buildBatonApp(app: App): BatonStack {
  const context = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)]));
  const config = parseConfig(context);
  const stack = new BatonStack(app, stackName(config.stage), { config, stackName: stackName(config.stage) });
  // cdk-nag's AWS Solutions rules on every synth; an unacknowledged error fails it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
