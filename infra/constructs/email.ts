// Email: the sender, and what tells Baton about mail that failed. With a domain, the stack creates
// the SES domain identity (Easy DKIM; its three CNAME records are stack outputs). Without one, the
// sender address (or its domain) must already be verified in SES. Functions may send only as that
// one address. Every send names the configuration set, whose event destination publishes bounces
// and complaints to an SNS topic (encrypted with a key SES may use); the mail-feedback function
// subscribes to it and suppresses the address. The configuration set also turns on SES's own
// suppression list for bounces and complaints.
import { Arn, CfnOutput, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag.js';
import { topicKey } from './topic-key.js';

export class EmailSender extends Construct {
  readonly email: string;
  /** The identities SES authorizes a send against: the address and its domain. */
  readonly identityArns: string[];
  readonly identity?: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly configurationSetArn: string;
  /** Bounces and complaints, as SES publishes them. */
  readonly feedback: Topic;

  constructor(
    scope: Construct,
    id: string,
    props: {
      senderEmail: string;
      domainName?: string;
      /** A customer managed KMS key for the feedback topic ($1 a month; SES can publish to no other encrypted topic). */
      encryptTopic: boolean;
      removalPolicy: RemovalPolicy;
    },
  ) {
    super(scope, id);
    this.email = props.senderEmail;
    const domain = props.senderEmail.slice(props.senderEmail.lastIndexOf('@') + 1).toLowerCase();
    const stack = Stack.of(this);
    this.identityArns = [props.senderEmail, domain].map((identity) =>
      Arn.format({ service: 'ses', resource: 'identity', resourceName: identity }, stack),
    );

    const key = props.encryptTopic
      ? topicKey(this, 'FeedbackTopicKey', {
          description: 'Baton: SES bounce and complaint notifications',
          publisher: 'ses.amazonaws.com',
          removalPolicy: props.removalPolicy,
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        })
      : undefined;
    this.feedback = new Topic(this, 'Feedback', {
      displayName: 'Baton mail feedback',
      enforceSSL: true,
      ...(key ? { masterKey: key } : {}),
    });
    if (!key)
      acknowledgeNag(
        this.feedback.node.defaultChild!,
        'SNS2',
        'SES publishes a bounce or complaint here and SNS delivers it to the suppression function at once (TLS only); the suppression it records is in the encrypted table. A customer managed key, the only kind SES can publish with, costs $1 a month: deploy setting topicEncryption=true adds it.',
      );
    this.feedback.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.feedback.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.feedback),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.configurationSetArn = Arn.format(
      { service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName },
      stack,
    );

    if (props.domainName) {
      this.identity = new EmailIdentity(this, 'DomainIdentity', { identity: Identity.domain(props.domainName) });
      this.identity.dkimRecords.forEach((record, i) => {
        new CfnOutput(stack, `SenderDkimRecord${i + 1}`, {
          description: `DNS record ${i + 1} of 3 that verifies ${props.domainName} for SES (CNAME name = value)`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
    }
  }

  /** The function that suppresses addresses; failed deliveries go to the dead-letter queue. */
  subscribe(handler: IFunction, deadLetterQueue: IQueue): void {
    this.feedback.addSubscription(new LambdaSubscription(handler, { deadLetterQueue }));
  }
}
