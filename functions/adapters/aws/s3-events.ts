// The uploads bucket's event notifications, as they arrive on the imports queue: the objects
// created under the drop zone. Keys come URL-encoded, a space as `+`.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
import type { DroppedObject } from '../../domain/drop-zone.js';

interface S3EventRecord {
  eventSource?: unknown;
  eventName?: unknown;
  s3?: { object?: { key?: unknown; size?: unknown; eTag?: unknown; versionId?: unknown; sequencer?: unknown } };
}

/**
 * The created objects an S3 notification tells of ([] for the test event S3 sends when the
 * notification is set up), or undefined when the body is not an S3 notification. Throws for a
 * created object it cannot read (no key or ETag), so the message is retried, then dead-lettered.
 */
export function droppedObjectsOf(body: string): DroppedObject[] | undefined {
  let parsed: { Records?: unknown; Event?: unknown; Service?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return undefined;
  }
  if (parsed.Service === 'Amazon S3' && parsed.Event === 's3:TestEvent') return [];
  if (!Array.isArray(parsed.Records) || parsed.Records.length === 0) return undefined;
  const records = parsed.Records as S3EventRecord[];
  if (!records.every((r) => r.eventSource === 'aws:s3')) return undefined;
  return records.flatMap((record) => {
    const object = record.s3?.object;
    if (typeof record.eventName !== 'string' || !record.eventName.startsWith('ObjectCreated:')) return [];
    if (typeof object?.key !== 'string' || typeof object.eTag !== 'string')
      throw new Error(`an S3 notification of ${record.eventName} without its object's key or ETag`);
    // The bucket is versioned, so every new object has a version id; the sequencer stands in for one otherwise.
    const version =
      typeof object.versionId === 'string' && object.versionId
        ? object.versionId
        : typeof object.sequencer === 'string'
          ? object.sequencer
          : '';
    return [{ key: decodeURIComponent(object.key.replace(/\+/g, '%20')), size: Number(object.size ?? 0), version, etag: object.eTag }];
  });
}
