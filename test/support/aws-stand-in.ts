// A tiny local stand-in for the AWS services Baton's functions call besides DynamoDB: Step
// Functions StartExecution, S3 PutObject and GetObject, SES SendEmail, Secrets Manager GetSecretValue
// and PutSecretValue, and KMS GetPublicKey and Sign (with a real RSA key, as KMS signs a digest), each
// answered in its protocol's shape (JSON 1.0 / 1.1, REST-XML, the query protocol's XML) so the
// real SDK clients accept the answer. Functions reach it through the SDK's AWS_ENDPOINT_URL_<SERVICE>
// variables. Requests are told apart by the service their SigV4 signature names; every request is
// recorded, and anything else is answered 400 and recorded as unexpected.
import { constants, createHash, generateKeyPairSync, privateEncrypt, randomUUID, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInCall =
  | { service: 'states'; operation: 'StartExecution'; stateMachineArn: string; name: string; input: unknown }
  | { service: 's3'; operation: 'PutObject'; bucket: string; key: string; contentType: string | undefined; body: Buffer }
  | {
      service: 'ses';
      operation: 'SendRawEmail';
      configurationSet: string | undefined;
      from: string;
      to: string;
      subject: string;
      raw: string;
    }
  | { service: 'secretsmanager'; operation: 'GetSecretValue'; secretId: string }
  | { service: 'secretsmanager'; operation: 'PutSecretValue'; secretId: string }
  | { service: 's3'; operation: 'GetObject' | 'HeadObject'; bucket: string; key: string; found: boolean }
  | { service: 'kms'; operation: 'Sign'; keyId: string; signingAlgorithm: string; messageType: string }
  | { service: 'kms'; operation: 'GetPublicKey'; keyId: string }
  | { service: 'sqs'; operation: 'SendMessage'; queueUrl: string; body: string; delaySeconds: number }
  | { service: string; operation: 'unexpected'; method: string; url: string; target: string | undefined };

export interface AwsStandIn {
  /** The endpoint every service's variable points at. */
  url: string;
  calls: StandInCall[];
  /** The signing key KMS holds here: its public half as a JWK, to check what the functions publish. */
  signingKey: { publicJwk: JsonWebKey };
  /** The environment that points the SDK's clients here (DynamoDB excepted: it has its own). */
  endpoints(): Record<string, string>;
  close(): Promise<void>;
}

/** The service a SigV4-signed request was signed for (`Credential=…/<date>/<region>/<service>/aws4_request`). */
function signedService(request: IncomingMessage): string {
  const match = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '');
  return match?.[1] ?? 'unsigned';
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The payload of an S3 body sent in aws-chunked encoding (a streaming checksum), else the body as it is. */
function decodeAwsChunked(request: IncomingMessage, body: Buffer): Buffer {
  if (!String(request.headers['content-encoding'] ?? '').includes('aws-chunked')) return body;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** DER of the SHA-256 DigestInfo prefix: what RSASSA-PKCS1-v1_5 signs around a digest. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** A header of a raw message (unfolded). */
const headerOf = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*(?:\r\n[ \t].*)*)`, 'im').exec(raw)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';

/**
 * `secrets` is the partners' secret (its JSON), `otherSecrets` any other secret's value by ARN
 * (the unsubscribe signing key).
 */
export async function startAwsStandIn(options: {
  secrets: Record<string, string>;
  otherSecrets?: Record<string, string>;
}): Promise<AwsStandIn> {
  const calls: StandInCall[] = [];
  /** The secret as it is now (PutSecretValue replaces it, as Secrets Manager does). */
  let secretString = JSON.stringify(options.secrets);
  const objects = new Map<string, { body: Buffer; contentType: string | undefined }>();
  const kmsKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const service = signedService(request);
      const target = request.headers['x-amz-target'] as string | undefined;
      const json = (status: number, value: unknown, type: string) => {
        response.writeHead(status, { 'content-type': type, 'x-amzn-requestid': randomUUID() });
        response.end(JSON.stringify(value));
      };
      const xml = (value: string) => {
        response.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
        response.end(value);
      };

      if (service === 'states' && target === 'AWSStepFunctions.StartExecution') {
        const input = JSON.parse(body.toString('utf8')) as { stateMachineArn: string; name: string; input: string };
        calls.push({
          service,
          operation: 'StartExecution',
          stateMachineArn: input.stateMachineArn,
          name: input.name,
          input: JSON.parse(input.input),
        });
        const executionArn = `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`;
        return json(200, { executionArn, startDate: Date.now() / 1000 }, 'application/x-amz-json-1.0');
      }
      if (service === 'secretsmanager' && target === 'secretsmanager.PutSecretValue') {
        const { SecretId, SecretString } = JSON.parse(body.toString('utf8')) as { SecretId: string; SecretString: string };
        calls.push({ service, operation: 'PutSecretValue', secretId: SecretId });
        secretString = SecretString;
        return json(200, { ARN: SecretId, Name: SecretId.split(':').at(-1), VersionId: randomUUID() }, 'application/x-amz-json-1.1');
      }
      if (service === 'sqs' && target === 'AmazonSQS.SendMessage') {
        const input = JSON.parse(body.toString('utf8')) as { QueueUrl: string; MessageBody: string; DelaySeconds?: number };
        calls.push({
          service,
          operation: 'SendMessage',
          queueUrl: input.QueueUrl,
          body: input.MessageBody,
          delaySeconds: input.DelaySeconds ?? 0,
        });
        // The SDK checks the body's MD5 against the answer's.
        return json(
          200,
          { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex') },
          'application/x-amz-json-1.0',
        );
      }
      if (service === 'secretsmanager' && target === 'secretsmanager.GetSecretValue') {
        const { SecretId } = JSON.parse(body.toString('utf8')) as { SecretId: string };
        calls.push({ service, operation: 'GetSecretValue', secretId: SecretId });
        return json(
          200,
          {
            ARN: SecretId,
            Name: SecretId.split(':').at(-1),
            SecretString: options.otherSecrets?.[SecretId] ?? secretString,
            VersionId: randomUUID(),
            VersionStages: ['AWSCURRENT'],
            CreatedDate: Date.now() / 1000,
          },
          'application/x-amz-json-1.1',
        );
      }
      if (service === 'kms' && target === 'TrentService.GetPublicKey') {
        const { KeyId } = JSON.parse(body.toString('utf8')) as { KeyId: string };
        calls.push({ service, operation: 'GetPublicKey', keyId: KeyId });
        const der = kmsKey.publicKey.export({ format: 'der', type: 'spki' });
        return json(
          200,
          {
            KeyId,
            KeySpec: 'RSA_2048',
            KeyUsage: 'SIGN_VERIFY',
            PublicKey: der.toString('base64'),
            SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256'],
          },
          'application/x-amz-json-1.1',
        );
      }
      if (service === 'kms' && target === 'TrentService.Sign') {
        const input = JSON.parse(body.toString('utf8')) as {
          KeyId: string;
          Message: string;
          MessageType: string;
          SigningAlgorithm: string;
        };
        calls.push({
          service,
          operation: 'Sign',
          keyId: input.KeyId,
          signingAlgorithm: input.SigningAlgorithm,
          messageType: input.MessageType,
        });
        const digest = Buffer.from(input.Message, 'base64');
        const signature = privateEncrypt(
          { key: kmsKey.privateKey, padding: constants.RSA_PKCS1_PADDING },
          Buffer.concat([SHA256_DIGEST_INFO, digest]),
        );
        return json(
          200,
          { KeyId: input.KeyId, Signature: signature.toString('base64'), SigningAlgorithm: input.SigningAlgorithm },
          'application/x-amz-json-1.1',
        );
      }
      if (service === 's3' && (request.method === 'GET' || request.method === 'HEAD')) {
        const [bucket = '', ...key] = new URL(request.url ?? '/', 'http://stand-in').pathname.slice(1).split('/');
        const name = decodeURIComponent(key.join('/'));
        const stored = objects.get(`${bucket}/${name}`);
        calls.push({
          service,
          operation: request.method === 'HEAD' ? 'HeadObject' : 'GetObject',
          bucket,
          key: name,
          found: stored !== undefined,
        });
        if (!stored && request.method === 'HEAD') {
          response.writeHead(404, { 'x-amz-request-id': randomUUID() });
          return response.end();
        }
        if (!stored) {
          response.writeHead(404, { 'content-type': 'application/xml', 'x-amz-request-id': randomUUID() });
          return response.end(
            `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${name}</Key></Error>`,
          );
        }
        response.writeHead(200, {
          'content-type': stored.contentType ?? 'application/octet-stream',
          'content-length': stored.body.length,
          etag: `"${createHash('md5').update(stored.body).digest('hex')}"`,
        });
        return response.end(request.method === 'HEAD' ? undefined : stored.body);
      }
      if (service === 'ses') {
        const form = new URLSearchParams(body.toString('utf8'));
        if (form.get('Action') === 'SendRawEmail') {
          const raw = Buffer.from(form.get('RawMessage.Data') ?? '', 'base64').toString('utf8');
          calls.push({
            service,
            operation: 'SendRawEmail',
            configurationSet: form.get('ConfigurationSetName') ?? undefined,
            from: headerOf(raw, 'From'),
            to: headerOf(raw, 'To'),
            subject: headerOf(raw, 'Subject'),
            raw,
          });
          return xml(
            `<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>stand-in-${randomUUID()}</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></SendRawEmailResponse>`,
          );
        }
      }
      if (service === 's3' && request.method === 'PUT') {
        // Path-style (the endpoint is an IP address): /<bucket>/<key>.
        const [bucket = '', ...key] = new URL(request.url ?? '/', 'http://stand-in').pathname.slice(1).split('/');
        const put = {
          service: 's3' as const,
          operation: 'PutObject' as const,
          bucket,
          key: decodeURIComponent(key.join('/')),
          contentType: request.headers['content-type'],
          body: decodeAwsChunked(request, body),
        };
        calls.push(put);
        objects.set(`${bucket}/${put.key}`, { body: put.body, contentType: put.contentType });
        response.writeHead(200, { etag: `"${randomUUID()}"`, 'x-amz-request-id': randomUUID() });
        return response.end();
      }
      calls.push({ service, operation: 'unexpected', method: request.method ?? '', url: request.url ?? '', target });
      json(
        400,
        { __type: 'UnexpectedRequest', message: `the stand-in does not answer ${service} ${target ?? request.method}` },
        'application/json',
      );
    })().catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    signingKey: { publicJwk: kmsKey.publicKey.export({ format: 'jwk' }) },
    endpoints: () => ({
      // Anything not named below comes here too, and is recorded as unexpected rather than reaching AWS.
      AWS_ENDPOINT_URL: url,
      AWS_ENDPOINT_URL_SFN: url,
      AWS_ENDPOINT_URL_S3: url,
      AWS_ENDPOINT_URL_SES: url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_ENDPOINT_URL_KMS: url,
      AWS_ENDPOINT_URL_SQS: url,
    }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
