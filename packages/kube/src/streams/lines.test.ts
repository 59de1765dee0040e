import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitLines } from './lines.ts';

async function collect(chunks: (string | Buffer)[], maxLineBytes?: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of splitLines(
    Readable.from(chunks, { objectMode: true }) as AsyncIterable<string | Buffer>,
    maxLineBytes === undefined ? {} : { maxLineBytes },
  )) {
    lines.push(line);
  }
  return lines;
}

const euro = Buffer.from('€', 'utf8'); // 3 bytes

describe('splitLines', () => {
  it.each([
    { name: 'one chunk', chunks: ['a\nb\n'], lines: ['a', 'b'] },
    { name: 'a line across chunks', chunks: ['ab', 'c\nd', 'e\n'], lines: ['abc', 'de'] },
    { name: 'a last line without newline', chunks: ['a\nb'], lines: ['a', 'b'] },
    { name: 'empty lines', chunks: ['\n\na\n'], lines: ['', '', 'a'] },
    { name: 'nothing', chunks: [], lines: [] },
    {
      name: 'a character split between chunks',
      chunks: [
        Buffer.from([0x78, ...euro.subarray(0, 1)]),
        Buffer.concat([euro.subarray(1), Buffer.from('\n')]),
      ],
      lines: ['x€'],
    },
  ])('$name', async ({ chunks, lines }) => {
    expect(await collect(chunks)).toEqual(lines);
  });

  it.each([
    {
      name: 'a long line in pieces',
      chunks: ['abcdefghij\n'],
      max: 4,
      lines: ['abcd', 'efgh', 'ij'],
    },
    {
      name: 'a line of exactly max bytes stays whole',
      chunks: ['abcd\nef\n'],
      max: 4,
      lines: ['abcd', 'ef'],
    },
    {
      name: 'max bytes, newline in the next chunk',
      chunks: ['abcd', '\nef'],
      max: 4,
      lines: ['abcd', 'ef'],
    },
    {
      name: 'pieces across chunks',
      chunks: ['abc', 'def', 'ghi'],
      max: 4,
      lines: ['abcd', 'efgh', 'i'],
    },
    {
      name: 'a piece boundary inside a character',
      chunks: [Buffer.concat([Buffer.from('ab'), euro, Buffer.from('\n')])],
      max: 4,
      lines: ['ab', '€'],
    },
  ])('$name (max $max)', async ({ chunks, max, lines }) => {
    expect(await collect(chunks, max)).toEqual(lines);
  });

  it('never holds more than one piece of a huge line', async () => {
    const max = 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'y');
    const source = Readable.from(Array<Buffer>(40).fill(chunk)); // 2.5 MiB without a newline
    const sizes: number[] = [];
    for await (const piece of splitLines(source as AsyncIterable<Buffer>)) sizes.push(piece.length);
    expect(sizes).toEqual([max, max, 40 * chunk.length - 2 * max]);
  });
});
