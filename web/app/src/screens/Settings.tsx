import type { ComponentType } from 'react';
import type { MeWithStatus } from '../api.js';
import { ScreenFrame } from './ScreenFrame.js';
import { WorkspaceSettings } from './WorkspaceSettings.js';
import { ChannelsSettings } from './settings/ChannelsSettings.js';
import { KnowledgeSettings } from './settings/KnowledgeSettings.js';
import { NotificationTargetsSettings } from './settings/NotificationTargetsSettings.js';
import { QueuesSettings } from './settings/QueuesSettings.js';
import { RulesSettings } from './settings/RulesSettings.js';
import { SchedulesSettings } from './settings/SchedulesSettings.js';
import { TeamsSettings } from './settings/TeamsSettings.js';
import { UsersSettings } from './settings/UsersSettings.js';

/** One settings section: its URL segment, its name in the side navigation, its screen. */
interface SettingsSection {
  readonly slug: string;
  readonly label: string;
  readonly Screen: ComponentType;
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { slug: 'rules', label: 'Handoff rules', Screen: RulesSettings },
  { slug: 'users', label: 'Users', Screen: UsersSettings },
  { slug: 'teams', label: 'Teams', Screen: TeamsSettings },
  { slug: 'queues', label: 'Queues', Screen: QueuesSettings },
  { slug: 'schedules', label: 'Schedules', Screen: SchedulesSettings },
  { slug: 'channels', label: 'Channels', Screen: ChannelsSettings },
  { slug: 'knowledge', label: 'Knowledge', Screen: KnowledgeSettings },
  { slug: 'notifications', label: 'Notifications', Screen: NotificationTargetsSettings },
  { slug: 'workspace', label: 'Workspace YAML', Screen: WorkspaceSettings },
];

/** The section a path names: `/settings/<slug>`; `/settings` alone (or an unknown slug) is the rules. */
export function sectionOf(pathname: string): SettingsSection {
  const slug = pathname.replace(/^\/settings\/?/, '').split('/')[0] ?? '';
  return SETTINGS_SECTIONS.find((s) => s.slug === slug) ?? SETTINGS_SECTIONS[0]!;
}

/**
 * Settings (admins): a side navigation of sections, each its own URL, so a reload or a shared link
 * lands on the same section.
 */
export function Settings({ me }: { me: MeWithStatus }) {
  const current = sectionOf(location.pathname);
  const { Screen } = current;
  return (
    <ScreenFrame me={me} title="Settings">
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings sections">
          <ul>
            {SETTINGS_SECTIONS.map((s) => (
              <li key={s.slug}>
                <a href={`/settings/${s.slug}`} aria-current={s === current ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-body">
          <Screen />
        </div>
      </div>
    </ScreenFrame>
  );
}
