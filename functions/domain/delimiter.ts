// A CSV file's delimiter, read from its header line: the server's parser and the site's preview
// both use this, so the preview shows the columns the import will read.
export type Delimiter = ',' | ';' | '\t';

/** The header line's most frequent delimiter outside quotes (comma when none). */
export function detectDelimiter(text: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of text.slice(0, 64 * 1024)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char as Delimiter]++;
  }
  const [best] = (Object.entries(counts) as Array<[Delimiter, number]>).sort((a, b) => b[1] - a[1]);
  return best![1] > 0 ? best![0] : ',';
}
