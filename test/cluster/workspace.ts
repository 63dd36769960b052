/**
 * The cluster tests' workspace: every channel is an `api` channel without an assistant, so one
 * `POST /api/conversations` is one handoff (trigger `no_assistant`), routed by the channel:
 *
 * - `api-picks` → queue `picks` (manual: waits until an agent claims it), team `pickers`
 *   (c1…c8, 20 open `api` conversations each);
 * - `api-main` → queue `main` (least busy), team `desk` (d1…d4, 50 each);
 * - `api-slow` → queue `slow` (manual, nobody on duty, first response due in 2 s); a breach re-routes
 *   (`sla_breach`) to `escalated`, which has no SLA — so each conversation breaches once;
 * - `api-config` → `routedQueue` (the config test applies the workspace again with another).
 *
 * The webhook target hears `handoff.completed` and `sla.breached`.
 */
export const PICKERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'] as const;
export const PICKER_CAPACITY = 20;
export const DESK = ['d1', 'd2', 'd3', 'd4'] as const;

export function clusterWorkspace(options: { readonly hookUrl: string; readonly routedQueue: 'routed-a' | 'routed-b' }): string {
  const user = (id: string, role: string, capacity: string, status: string): string =>
    `  - { id: ${id}, name: User ${id}, email: ${id}@cluster.test, role: ${role}, skills: [lang:en], capacity: ${capacity}, schedule: always, status: ${status} }`;
  const onChannel = (id: string, channel: string, queue: string, trigger = 'no_assistant'): string[] => [
    `    - id: ${id}`,
    `      when: [${trigger}]`,
    ...(channel === '' ? [] : [`      if: { channel: { in: [${channel}] } }`]),
    '      then:',
    `        destination: { queue: ${queue} }`,
    '        assignment: unassign_to_queue',
  ];
  return [
    'workspace: { name: Cluster desk, timezone: UTC }',
    'schedules:',
    '  - { id: always, timezone: UTC, hours: { mon-sun: ["00:00-24:00"] } }',
    'users:',
    ...PICKERS.map((id) => user(id, 'agent', `{ api: ${PICKER_CAPACITY} }`, 'available')),
    ...DESK.map((id) => user(id, 'agent', '{ api: 50 }', 'available')),
    user('w1', 'agent', '{ api: 5 }', 'offline'),
    user('boss', 'admin', '{}', 'offline'),
    'teams:',
    `  - { id: pickers, name: Pickers, members: [${PICKERS.join(', ')}], leads: [boss], strategy: manual }`,
    `  - { id: desk, name: Desk, members: [${DESK.join(', ')}], leads: [boss], strategy: least_busy }`,
    '  - { id: watch, name: Watch, members: [w1], leads: [boss], strategy: manual }',
    'queues:',
    '  - { id: picks, name: Picks, team: pickers, strategy: manual }',
    '  - { id: main, name: Main, team: desk, strategy: least_busy }',
    '  - { id: slow, name: Slow, team: watch, strategy: manual, sla: { firstResponse: 2s } }',
    '  - { id: escalated, name: Escalated, team: watch, strategy: manual }',
    '  - { id: routed-a, name: Routed A, team: watch, strategy: manual }',
    '  - { id: routed-b, name: Routed B, team: watch, strategy: manual }',
    'channels:',
    ...['api-picks', 'api-main', 'api-slow', 'api-config'].map((id) => `  - { id: ${id}, type: api, assistant: none, defaultRoute: { queue: main } }`),
    'handoff:',
    '  rules:',
    ...onChannel('picks', 'api-picks', 'picks'),
    ...onChannel('slow', 'api-slow', 'slow'),
    ...onChannel('configured', 'api-config', options.routedQueue),
    ...onChannel('after-sla', '', 'escalated', 'sla_breach'),
    '  fallback:',
    '    destination: { queue: main }',
    '    assignment: unassign_to_queue',
    'notifications:',
    '  allowPrivateNetworks: true',
    '  webhooks:',
    `    - { url: "${options.hookUrl}", secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, events: [handoff.completed, sla.breached] }`,
    '',
  ].join('\n');
}
