import type { ChannelConfig, QueueConfig, TeamConfig, UserView } from '../api.js';

/** The workspace objects the inbox names things by (read once at sign-in). */
export interface Directory {
  readonly users: readonly UserView[];
  readonly teams: readonly TeamConfig[];
  readonly queues: readonly QueueConfig[];
  readonly channels: readonly ChannelConfig[];
}

export const userName = (d: Directory, id: string | null): string | null => (id === null ? null : (d.users.find((u) => u.id === id)?.name ?? id));
export const teamName = (d: Directory, id: string | null): string | null => (id === null ? null : (d.teams.find((t) => t.id === id)?.name ?? id));
export const queueName = (d: Directory, id: string | null): string | null => (id === null ? null : (d.queues.find((q) => q.id === id)?.name ?? id));
export const channelName = (d: Directory, id: string): string => d.channels.find((c) => c.id === id)?.name ?? id;
