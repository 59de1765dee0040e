// Splits a byte stream into text lines as it arrives, holding at most one line (bounded) in memory.
import { StringDecoder } from 'node:string_decoder';

export interface SplitLinesOptions {
  /** A line longer than this many bytes is yielded in pieces of this size (default 1 MiB). */
  maxLineBytes?: number;
}

const newline = 0x0a;

/** Lines without their `\n`; a last line without one is yielded too. */
export async function* splitLines(
  source: AsyncIterable<Buffer | string>,
  options: SplitLinesOptions = {},
): AsyncGenerator<string> {
  const max = options.maxLineBytes ?? 1024 * 1024;
  // Pieces are cut by bytes; the decoder keeps a character that straddles a cut for the next piece.
  const decoder = new StringDecoder('utf8');
  let line = '';
  let lineBytes = 0;
  for await (const input of source) {
    const chunk = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    let pos = 0;
    while (pos < chunk.length) {
      const end = chunk.indexOf(newline, pos);
      const stop = end === -1 ? chunk.length : end;
      // A full piece goes out only once more of its line follows, so a line of exactly `max`
      // bytes stays one line.
      if (lineBytes >= max && pos < stop) {
        yield line;
        line = '';
        lineBytes = 0;
      }
      const take = Math.min(stop - pos, max - lineBytes);
      line += decoder.write(chunk.subarray(pos, pos + take));
      lineBytes += take;
      pos += take;
      if (pos === end) {
        yield line + decoder.end();
        line = '';
        lineBytes = 0;
        pos += 1;
      }
    }
  }
  const rest = line + decoder.end();
  if (lineBytes > 0 || rest !== '') yield rest;
}
