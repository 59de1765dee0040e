import { describe, expect, it } from 'vitest';
import { AnonymousBudget } from './budget.js';

describe('AnonymousBudget', () => {
  it('admits so many rows per address per window, then counts the rest once', () => {
    const budget = new AnonymousBudget({ perAddress: 3, windowMs: 60_000 });
    const admitted = Array.from({ length: 10 }, (_, i) => budget.admit('10.0.0.1', 1000 + i));
    expect(admitted.map((a) => a.admitted)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(budget.admit('10.0.0.2', 2000).admitted).toBe(true);
    expect(budget.sweep(30_000)).toEqual([]);
    // The window ends: one summary for the address that went over, none for the other.
    expect(budget.sweep(61_000)).toEqual([{ ip: '10.0.0.1', count: 7, from: 1000, to: 61_000 }]);
    expect(budget.sweep(200_000, true)).toEqual([]);
  });

  it('summarises a window that ended when the address comes back, and starts a new one', () => {
    const budget = new AnonymousBudget({ perAddress: 1, windowMs: 1000 });
    budget.admit('a', 0);
    budget.admit('a', 10);
    const next = budget.admit('a', 1500);
    expect(next).toEqual({ admitted: true, ended: [{ ip: 'a', count: 1, from: 0, to: 1000 }] });
  });

  it('summarises everything at close', () => {
    const budget = new AnonymousBudget({ perAddress: 1, windowMs: 60_000 });
    budget.admit('a', 0);
    budget.admit('a', 1);
    budget.admit('a', 2);
    expect(budget.sweep(3, true)).toEqual([{ ip: 'a', count: 2, from: 0, to: 60_000 }]);
  });
});
