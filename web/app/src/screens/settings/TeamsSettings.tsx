import { DirectoryScreen } from './directory/DirectoryScreen.js';
import { CheckboxField, CheckboxGroup, IdField, SelectField, TextField } from './directory/fields.js';
import {
  STRATEGY_LABELS,
  emptyTeamForm,
  formToTeam,
  labelledOptions,
  teamToForm,
  type TeamForm,
  type TeamItem,
  type UserItem,
} from './directory/forms.js';
import { optionsOf, useDirectoryList } from './directory/use-directory-list.js';

/** Settings → Teams: who is in each team, who leads it and how its conversations are shared out (issue 4). */
export function TeamsSettings() {
  const users = useDirectoryList<UserItem>('users');
  const nameOf = (id: string) => users.items?.find((u) => u.id === id)?.name ?? id;
  return (
    <DirectoryScreen<TeamItem, TeamForm>
      section="teams"
      title="Teams"
      noun="team"
      intro="Groups of people that queues, channels and rules hand conversations to. Conversations are assigned to members; the strategy decides which available member gets the next one. Leads hear of SLA breaches in the team's queues."
      nameOf={(t) => t.name}
      fieldsOf={(t) => [
        { label: 'Members', value: (t.members ?? []).map(nameOf).join(', ') },
        { label: 'Leads', value: (t.leads ?? []).map(nameOf).join(', ') },
        { label: 'Strategy', value: STRATEGY_LABELS[t.strategy ?? 'round_robin'] },
        { label: 'Sticky', value: t.sticky === true ? 'Yes: prefer the previous owner' : 'No' },
      ]}
      emptyForm={emptyTeamForm}
      toForm={teamToForm}
      fromForm={formToTeam}
      renderFields={({ form, set, editing }) => (
        <>
          <TextField label="Name" value={form.name} onChange={(name) => set({ name })} path="name" required />
          <IdField value={form.id} onChange={(id) => set({ id })} editing={editing} referredBy="queues and rules" />
          <SelectField
            label="Strategy"
            value={form.strategy}
            options={labelledOptions(STRATEGY_LABELS)}
            onChange={(strategy) => set({ strategy: strategy as TeamForm['strategy'] })}
            path="strategy"
            hint="Round robin takes turns; least busy picks the member with the fewest open conversations; manual leaves them for people to claim."
          />
          <CheckboxField
            label="Sticky: prefer the customer's previous owner when they are available"
            checked={form.sticky}
            onChange={(sticky) => set({ sticky })}
            path="sticky"
          />
          <CheckboxGroup
            legend="Members"
            options={optionsOf(users.items)}
            values={form.members}
            onChange={(members) => set({ members })}
            path="members"
          />
          <CheckboxGroup
            legend="Leads"
            options={optionsOf(users.items)}
            values={form.leads}
            onChange={(leads) => set({ leads })}
            path="leads"
            hint="Alerted when a queue of the team misses its SLA. Only members are assigned conversations."
          />
        </>
      )}
    />
  );
}
