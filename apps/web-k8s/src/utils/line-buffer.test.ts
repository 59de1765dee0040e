import { describe, expect, it } from 'vitest';
import { LineBuffer } from './line-buffer';

describe('LineBuffer', () => {
  it('splits chunks into lines and keeps an unfinished line for the next chunk', () => {
    const buffer = new LineBuffer(10);
    buffer.append('one\ntw');
    expect(buffer.snapshot()).toEqual(['one', 'tw']);
    buffer.append('o\r\nthree\n');
    expect(buffer.snapshot()).toEqual(['one', 'two', 'three']);
  });

  it('keeps only the newest lines and counts the dropped ones', () => {
    const buffer = new LineBuffer(3);
    buffer.append(['a', 'b', 'c', 'd', 'e'].map((line) => `${line}\n`).join(''));
    expect(buffer.snapshot()).toEqual(['c', 'd', 'e']);
    expect(buffer.dropped).toBe(2);
    buffer.append('f\n');
    expect(buffer.snapshot()).toEqual(['d', 'e', 'f']);
    expect(buffer.dropped).toBe(3);
  });

  it('stays bounded under many chunks', () => {
    const buffer = new LineBuffer(5000);
    for (let i = 0; i < 20_000; i += 1) buffer.append(`line ${String(i)}\n`);
    const lines = buffer.snapshot();
    expect(lines).toHaveLength(5000);
    expect(lines[0]).toBe('line 15000');
    expect(lines.at(-1)).toBe('line 19999');
  });

  it('flush turns the unfinished tail into a line; clear empties', () => {
    const buffer = new LineBuffer(3);
    buffer.append('tail');
    buffer.flush();
    buffer.append('next\n');
    expect(buffer.snapshot()).toEqual(['tail', 'next']);
    buffer.clear();
    expect(buffer.snapshot()).toEqual([]);
    expect(buffer.dropped).toBe(0);
  });

  it('hands out copies, so a view holding one is not changed underneath', () => {
    const buffer = new LineBuffer(3);
    buffer.append('a\n');
    const held = buffer.snapshot();
    buffer.append('b\n');
    expect(held).toEqual(['a']);
  });
});
