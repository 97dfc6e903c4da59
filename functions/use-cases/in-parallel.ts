// Work over many items with a bounded number in flight, the results in the items' order. Each
// item waits on DynamoDB or S3 for milliseconds: one at a time, a worker spends its run waiting.

/** `work` over every item, at most `concurrency` at once; answers the results in the items' order. */
export async function inParallel<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
