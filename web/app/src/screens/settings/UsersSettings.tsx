import { DirectoryScreen } from './directory/DirectoryScreen.js';
import { IdField, SelectField, TagsField, TextField } from './directory/fields.js';
import {
  CHANNEL_TYPE_LABELS,
  CHANNEL_TYPES,
  ROLE_LABELS,
  STATUS_LABELS,
  describeCapacity,
  emptyUserForm,
  formToUser,
  labelledOptions,
  teamsOf,
  userToForm,
  type TeamItem,
  type UserItem,
} from './directory/forms.js';
import type { ScheduleItem } from './directory/schedule-form.js';
import { optionsOf, useDirectoryList } from './directory/use-directory-list.js';
import { UserAccessPanel, useUserAccess } from './UserAccessPanel.js';

/** Settings → Users: who works in Baton, with their skills, capacity per channel type and schedule (issue 4). */
export function UsersSettings() {
  const teams = useDirectoryList<TeamItem>('teams');
  const schedules = useDirectoryList<ScheduleItem>('schedules');
  const users = useDirectoryList<UserItem>('users');
  const access = useUserAccess();
  const skillSuggestions = [...new Set((users.items ?? []).flatMap((u) => u.skills ?? []))].sort();
  return (
    <DirectoryScreen<UserItem, ReturnType<typeof emptyUserForm>>
      section="users"
      title="Users"
      noun="user"
      intro="People who take conversations. Skills decide which queues they can serve; capacity caps the open conversations assigned to them automatically, per channel type; the schedule sets their working hours. Team membership is edited under Teams."
      nameOf={(u) => u.name}
      fieldsOf={(u) => [
        { label: 'Email', value: u.email },
        { label: 'Role', value: ROLE_LABELS[u.role ?? 'agent'] },
        { label: 'Teams', value: teamsOf(u.id, teams.items ?? []).join(', ') },
        { label: 'Skills', value: (u.skills ?? []).join(', ') },
        { label: 'Capacity', value: describeCapacity(u.capacity) || 'no cap' },
        { label: 'Schedule', value: u.schedule ?? 'always available' },
      ]}
      emptyForm={emptyUserForm}
      toForm={userToForm}
      fromForm={formToUser}
      keep={['currentStatus', 'statusChangedAt']}
      extraOf={(u) => <UserAccessPanel userId={u.id} name={u.name} access={access.access.get(u.id)} onChanged={access.reload} />}
      onChanged={() => {
        void users.reload();
        void access.reload();
      }}
      renderFields={({ form, set, editing }) => (
        <>
          <TextField label="Name" value={form.name} onChange={(name) => set({ name })} path="name" required />
          <TextField
            label="Email"
            type="email"
            value={form.email}
            onChange={(email) => set({ email })}
            path="email"
            required
            inputMode="email"
          />
          <IdField value={form.id} onChange={(id) => set({ id })} editing={editing} referredBy="rules and teams" newHint="Lowercase letters, digits, - and _; rules and teams refer to it." />
          <SelectField
            label="Role"
            value={form.role}
            options={labelledOptions(ROLE_LABELS)}
            onChange={(role) => set({ role: role as typeof form.role })}
            path="role"
            hint="Admins can change settings."
          />
          <TagsField
            legend="Skills"
            noun="skill"
            values={form.skills}
            onChange={(skills) => set({ skills })}
            path="skills"
            suggestions={skillSuggestions}
            placeholder="lang:es"
            hint="Such as lang:es or product:billing. A queue only offers conversations to people with all of its required skills."
          />
          <fieldset className="field capacity-field">
            <legend>Capacity per channel type</legend>
            <div className="capacity-grid">
              {CHANNEL_TYPES.map((type) => (
                <TextField
                  key={type}
                  label={
                    <>
                      {CHANNEL_TYPE_LABELS[type]}
                      <span className="visually-hidden"> capacity</span>
                    </>
                  }
                  type="number"
                  inputMode="numeric"
                  value={form.capacity[type]}
                  onChange={(value) => set({ capacity: { ...form.capacity, [type]: value } })}
                  path={`capacity.${type}`}
                />
              ))}
            </div>
            <p className="field-hint">
              The most open conversations of that type assigned to them automatically. Empty: no cap; 0: none.
            </p>
          </fieldset>
          <SelectField
            label="Schedule"
            value={form.schedule}
            options={[{ value: '', label: 'None: always available' }, ...optionsOf(schedules.items)]}
            onChange={(schedule) => set({ schedule })}
            path="schedule"
          />
          <SelectField
            label="Initial status"
            value={form.status}
            options={labelledOptions(STATUS_LABELS)}
            onChange={(status) => set({ status: status as typeof form.status })}
            path="status"
            hint="Used until they set their own status."
          />
        </>
      )}
    />
  );
}
