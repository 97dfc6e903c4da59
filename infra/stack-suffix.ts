// Names that must be unique beyond one template (a Cognito domain prefix is global per region; a
// retained log group outlives its stack) take 8 characters of the stack's id: different for every
// stack ever created, and known only at deploy time.
import { Aws, Fn } from 'aws-cdk-lib';

export function stackIdSuffix(): string {
  const stackGuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return Fn.select(0, Fn.split('-', stackGuid));
}
