/**
 * ExpiryTimers on fake timers: fires once at its delay, cancel and close forget timers, and delays
 * past setTimeout's limit are waited out rather than fired at once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExpiryTimers } from '../../src/testing/expiry';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ExpiryTimers', () => {
  it('calls back once per order at its delay; cancel forgets one, close all', () => {
    const expired: string[] = [];
    const timers = new ExpiryTimers((orderNo) => expired.push(orderNo));
    timers.schedule('A', 100);
    timers.schedule('B', 200);
    timers.schedule('C', 300);
    expect(timers.pending()).toBe(3);
    vi.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['A']);
    timers.cancel('B');
    timers.cancel('unknown');
    expect(timers.pending()).toBe(1);
    timers.close();
    expect(timers.pending()).toBe(0);
    timers.schedule('D', 10);
    expect(timers.pending()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual(['A']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('re-scheduling an order replaces its timer', () => {
    const expired: string[] = [];
    const timers = new ExpiryTimers((orderNo) => expired.push(orderNo));
    timers.schedule('A', 100);
    timers.schedule('A', 500);
    vi.advanceTimersByTime(499);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['A']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits out a delay longer than setTimeout allows', () => {
    const expired: string[] = [];
    const timers = new ExpiryTimers((orderNo) => expired.push(orderNo));
    const limit = 2_147_483_647;
    timers.schedule('A', limit + 1_000);
    vi.advanceTimersByTime(limit);
    expect(expired).toEqual([]);
    expect(timers.pending()).toBe(1);
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['A']);
    expect(timers.pending()).toBe(0);
  });
});
