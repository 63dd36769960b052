import { describe, expect, it } from 'vitest';
import { estimateWaitSeconds } from './estimate-wait.js';

describe('estimateWaitSeconds', () => {
  it('scales recent response time by rounds of answers: ceil(position / agents) × r', () => {
    expect(estimateWaitSeconds({ position: 1, staffed: 2, recentFirstResponseSeconds: 120, slaFirstResponseSeconds: 300 })).toBe(120);
    expect(estimateWaitSeconds({ position: 3, staffed: 2, recentFirstResponseSeconds: 120, slaFirstResponseSeconds: 300 })).toBe(240);
    expect(estimateWaitSeconds({ position: 5, staffed: 1, recentFirstResponseSeconds: 60, slaFirstResponseSeconds: null })).toBe(300);
  });

  it('uses the SLA target without history, and five minutes without either', () => {
    expect(estimateWaitSeconds({ position: 2, staffed: 1, recentFirstResponseSeconds: null, slaFirstResponseSeconds: 600 })).toBe(1200);
    expect(estimateWaitSeconds({ position: 1, staffed: 3, recentFirstResponseSeconds: null, slaFirstResponseSeconds: null })).toBe(300);
  });

  it('promises the SLA target when nobody is staffed', () => {
    expect(estimateWaitSeconds({ position: 9, staffed: 0, recentFirstResponseSeconds: 30, slaFirstResponseSeconds: 900 })).toBe(900);
    expect(estimateWaitSeconds({ position: 9, staffed: 0, recentFirstResponseSeconds: 30, slaFirstResponseSeconds: null })).toBe(300);
  });

  it('adds the time until the place opens', () => {
    expect(
      estimateWaitSeconds({ position: 1, staffed: 0, recentFirstResponseSeconds: null, slaFirstResponseSeconds: 300, secondsUntilOpen: 3600 }),
    ).toBe(3900);
  });
});
