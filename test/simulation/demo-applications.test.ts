import { describe, expect, it } from 'vitest';
import { validateApplication } from '../../src/origination/index.js';
import { DEMO_APPLICANTS, demoApplicationPlan } from '../../src/simulation/index.js';

const NOW_MS = Date.parse('2026-11-28T08:00:00Z');

describe('the demo applications', () => {
  const plan = demoApplicationPlan(42, NOW_MS);

  it('are valid applications, each its own person', () => {
    expect(plan.applications).toHaveLength(DEMO_APPLICANTS);
    // The server sets the id and the time of submission before the core reads an application.
    for (const [i, body] of plan.applications.entries()) {
      const submitted = { ...body, applicationId: `app-${i}`, submittedAt: new Date(NOW_MS).toISOString() };
      expect(() => validateApplication(submitted)).not.toThrow();
    }
    const ids = plan.applications.map((a) => (a.identity as { idNumber: string }).idNumber);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('hold the patterns the decisions should show: uninvited, a shared device, a blacklisted phone', () => {
    const invited = new Set(plan.invitations.map((i) => i.idNumber));
    const uninvited = plan.applications.filter(
      (a) => !invited.has((a.identity as { idNumber: string }).idNumber),
    );
    expect(uninvited.length).toBeGreaterThan(0);
    expect(uninvited.length).toBeLessThan(DEMO_APPLICANTS / 4);
    const devices = new Map<string, number>();
    for (const a of plan.applications) {
      const device = (a.device as { deviceId: string }).deviceId;
      devices.set(device, (devices.get(device) ?? 0) + 1);
    }
    expect(Math.max(...devices.values())).toBeGreaterThanOrEqual(5);
    expect(plan.blacklist).toHaveLength(1);
    const phones = plan.applications.map((a) => (a.identity as { phone: string }).phone);
    expect(phones).toContain(plan.blacklist[0]!.value);
    const occupations = new Set(
      plan.applications.map((a) => (a.employment as { occupation: string }).occupation),
    );
    expect(occupations.has('business-owner')).toBe(true);
    expect(occupations.has('freelancer')).toBe(true);
  });

  it('are the same for the same seed and instant', () => {
    expect(JSON.stringify(demoApplicationPlan(42, NOW_MS))).toBe(JSON.stringify(plan));
    expect(JSON.stringify(demoApplicationPlan(43, NOW_MS))).not.toBe(JSON.stringify(plan));
  });
});
