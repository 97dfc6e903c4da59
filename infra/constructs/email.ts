// The completion email's sender. With a domain, the stack creates the SES domain identity (Easy
// DKIM; its three CNAME records are stack outputs). Without one, the sender address (or its
// domain) must already be verified in SES. Functions may send only as that one address.
import { Arn, CfnOutput, Stack } from 'aws-cdk-lib';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export class EmailSender extends Construct {
  readonly email: string;
  /** The identities SES authorizes a send against: the address and its domain. */
  readonly identityArns: string[];
  readonly identity?: EmailIdentity;

  constructor(scope: Construct, id: string, props: { senderEmail: string; domainName?: string }) {
    super(scope, id);
    this.email = props.senderEmail;
    const domain = props.senderEmail.slice(props.senderEmail.lastIndexOf('@') + 1).toLowerCase();
    const stack = Stack.of(this);
    this.identityArns = [props.senderEmail, domain].map((identity) =>
      Arn.format({ service: 'ses', resource: 'identity', resourceName: identity }, stack),
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
}
