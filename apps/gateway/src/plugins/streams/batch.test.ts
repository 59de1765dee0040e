import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lineBatcher } from './batch.js';

let sent: string[];
beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
});
afterEach(() => {
  vi.useRealTimers();
});

const batcher = (maxChars = 64 * 1024) =>
  lineBatcher({ send: (data) => sent.push(data), intervalMs: 100, maxChars });

describe('lineBatcher', () => {
  it('gathers lines for 100 ms into one message, holding a partial line back', () => {
    const lines = batcher();
    lines.write('one\ntw');
    lines.write('o\nthr');
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(99);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['one\ntwo\n']);
    lines.write('ee\n');
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['one\ntwo\n', 'three\n']);
  });

  it('sends at once when the held text reaches the size bound, in whole lines', () => {
    const lines = batcher(10);
    lines.write('aaaa\nbbbb\ncc');
    expect(sent).toEqual(['aaaa\nbbbb\n']);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['aaaa\nbbbb\n']);
  });

  it('cuts a line longer than the bound into pieces of the bound', () => {
    const lines = batcher(4);
    lines.write('abcdefghij');
    expect(sent).toEqual(['abcd', 'efgh']);
    lines.write('\n');
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['abcd', 'efgh', 'ij\n']);
  });

  it('sends the unterminated last line at the end, and nothing after dispose', () => {
    const lines = batcher();
    lines.write('done\nno newline');
    lines.end();
    expect(sent).toEqual(['done\nno newline']);
    const other = batcher();
    other.write('dropped\n');
    other.dispose();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['done\nno newline']);
  });

  it('sends nothing for an empty log', () => {
    const lines = batcher();
    lines.write('');
    lines.end();
    expect(sent).toEqual([]);
  });
});
