import { describe, expect, it } from 'vitest';
import { WorkspaceConfig } from '../contract/config.js';
import { aWorkspace } from './testing/factories.js';
import { buildWorkspace, workspaceIndex } from './workspace.js';

describe('buildWorkspace', () => {
  const world = () =>
    aWorkspace()
      .withSettings({ timezone: 'Europe/Madrid', language: 'es' })
      .withSchedule('office', { 'mon-fri': ['09:00-18:00'] }, { timezone: 'Europe/Madrid' })
      .withTeam('billing', { strategy: 'least_busy', sticky: true, leads: ['olu'] })
      .withTeam('oncall', { strategy: 'round_robin' })
      .withAgent('ana', { skills: ['lang:es', 'lang:en'], capacity: { chat: 3 }, schedule: 'office', teams: ['billing', 'oncall'] })
      .withAgent('olu', { skills: ['lang:en'], teams: ['oncall'] })
      .withQueue('es-support', {
        team: 'billing',
        requiredSkills: ['lang:es'],
        schedule: 'office',
        sla: { firstResponse: '5m', businessHours: true },
        overflow: { after: '15m', to: 'general' },
        outOfHours: { action: 'route', to: { team: 'oncall' } },
      })
      .withQueue('general', { team: 'billing', strategy: 'round_robin', sticky: false })
      .withQueue('anyone', { requiredSkills: ['lang:en'] })
      .build().workspace;

  it('maps users with their skills, capacity, schedule and teams', () => {
    const ana = world().users.get('ana');
    expect(ana).toMatchObject({ name: 'Ana', scheduleId: 'office', capacity: { chat: 3 }, teams: ['billing', 'oncall'] });
    expect([...(ana?.skills ?? [])]).toEqual(['lang:es', 'lang:en']);
  });

  it('compiles schedules and reads workspace settings', () => {
    const workspace = world();
    expect(workspace.schedules.get('office')?.timezone).toBe('Europe/Madrid');
    expect(workspace.timezone).toBe('Europe/Madrid');
    expect(workspace.language).toBe('es');
  });

  it("gives a queue its team's strategy and stickiness unless it sets its own", () => {
    const workspace = world();
    expect(workspace.queues.get('es-support')).toMatchObject({ strategy: 'least_busy', sticky: true, teamId: 'billing' });
    expect(workspace.queues.get('general')).toMatchObject({ strategy: 'round_robin', sticky: false });
    expect(workspace.queues.get('anyone')).toMatchObject({ strategy: 'round_robin', sticky: false, teamId: null });
  });

  it('turns durations into seconds', () => {
    expect(world().queues.get('es-support')).toMatchObject({
      firstResponseSeconds: 300,
      slaBusinessHours: true,
      overflowAfterSeconds: 900,
      overflowTo: 'general',
      scheduleId: 'office',
    });
    expect(world().queues.get('general')).toMatchObject({ firstResponseSeconds: null, overflowAfterSeconds: null, outOfHours: null });
  });

  it("indexes each queue's candidates: its team's members, or every skilled user without a team", () => {
    const index = workspaceIndex(world());
    expect(index.queueCandidates.get('es-support')).toEqual(['ana']);
    expect(index.queueCandidates.get('anyone')).toEqual(['ana', 'olu']);
    expect(index.teamCandidates.get('oncall')).toEqual(['ana', 'olu']);
  });

  it('does not crash on dangling ids: they simply route nowhere', () => {
    const config = WorkspaceConfig.parse({
      workspace: { name: 'Broken' },
      users: [{ id: 'ana', name: 'Ana', email: 'ana@acme.test', schedule: 'gone' }],
      teams: [{ id: 'billing', name: 'Billing', members: ['ana', 'ghost', 'ana'] }],
      queues: [{ id: 'orphan', name: 'Orphan', team: 'missing', schedule: 'gone' }],
      channels: [{ id: 'web', type: 'chat', defaultRoute: { queue: 'nowhere' } }],
      handoff: { fallback: { destination: { queue: 'orphan' } } },
    });
    const workspace = buildWorkspace(config);
    expect(workspace.users.get('ana')?.scheduleId).toBeNull();
    expect(workspace.teams.get('billing')?.members).toEqual(['ana', 'ghost']);
    expect(workspace.queues.get('orphan')).toMatchObject({ teamId: 'missing', scheduleId: null, strategy: 'round_robin' });
    const index = workspaceIndex(workspace);
    expect(index.teamCandidates.get('billing')).toEqual(['ana']);
    expect(index.queueCandidates.get('orphan')).toEqual([]);
  });
});
