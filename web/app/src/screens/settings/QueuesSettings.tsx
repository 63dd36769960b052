import { DestinationField } from './directory/DestinationField.js';
import { DirectoryScreen } from './directory/DirectoryScreen.js';
import { CheckboxField, IdField, SelectField, TagsField, TextField } from './directory/fields.js';
import {
  STRATEGY_LABELS,
  describeDestination,
  emptyQueueForm,
  formToQueue,
  labelledOptions,
  queueToForm,
  type QueueForm,
  type QueueItem,
  type TeamItem,
  type UserItem,
} from './directory/forms.js';
import type { ScheduleItem } from './directory/schedule-form.js';
import { optionsOf, useDirectoryList } from './directory/use-directory-list.js';

const DURATION_HINT = 'A duration such as 30s, 5m, 2h or 3d.';

/** Settings → Queues: where handed-off conversations wait, with their team, skills, hours, SLA and overflow (issue 4). */
export function QueuesSettings() {
  const teams = useDirectoryList<TeamItem>('teams');
  const users = useDirectoryList<UserItem>('users');
  const schedules = useDirectoryList<ScheduleItem>('schedules');
  const queues = useDirectoryList<QueueItem>('queues');
  const skillSuggestions = [...new Set((users.items ?? []).flatMap((u) => u.skills ?? []))].sort();
  return (
    <DirectoryScreen<QueueItem, QueueForm>
      section="queues"
      title="Queues"
      noun="queue"
      intro="Where handed-off conversations wait for a person of the queue's team who has every required skill. The SLA is the first-response target; after the overflow wait a conversation moves to another queue."
      nameOf={(q) => q.name}
      fieldsOf={(q) => [
        { label: 'Team', value: q.team ?? '' },
        { label: 'Strategy', value: q.strategy === undefined ? "The team's" : STRATEGY_LABELS[q.strategy] },
        { label: 'Required skills', value: (q.requiredSkills ?? []).join(', ') },
        { label: 'Schedule', value: q.schedule ?? 'always open' },
        {
          label: 'First response (SLA)',
          value:
            q.sla === undefined
              ? ''
              : `${q.sla.firstResponse}${q.sla.businessHours === true ? ' of open hours' : ''}`,
        },
        {
          label: 'Overflow',
          value: q.overflow === undefined ? '' : `after ${q.overflow.after} to ${q.overflow.to}`,
        },
        {
          label: 'Out of hours',
          value:
            q.outOfHours === undefined || (q.outOfHours.action ?? 'queue_and_inform') === 'queue_and_inform'
              ? 'Queue and tell the customer when it opens'
              : `Route to ${q.outOfHours.to === undefined ? '?' : describeDestination(q.outOfHours.to)}${q.outOfHours.when === undefined ? '' : ' (when a condition holds)'}`,
        },
      ]}
      emptyForm={emptyQueueForm}
      toForm={queueToForm}
      fromForm={formToQueue}
      onChanged={() => void queues.reload()}
      renderFields={({ form, set, editing }) => (
        <>
          <TextField label="Name" value={form.name} onChange={(name) => set({ name })} path="name" required />
          <IdField value={form.id} onChange={(id) => set({ id })} editing={editing} referredBy="rules and channels" />
          <SelectField
            label="Team"
            value={form.team}
            options={[{ value: '', label: 'No team' }, ...optionsOf(teams.items)]}
            onChange={(team) => set({ team })}
            path="team"
            hint="Whose members take the queue's conversations."
          />
          <SelectField
            label="Strategy"
            value={form.strategy}
            options={[{ value: '', label: "The team's strategy" }, ...labelledOptions(STRATEGY_LABELS)]}
            onChange={(strategy) => set({ strategy: strategy as QueueForm['strategy'] })}
            path="strategy"
          />
          <SelectField
            label="Schedule"
            value={form.schedule}
            options={[{ value: '', label: 'None: always open' }, ...optionsOf(schedules.items)]}
            onChange={(schedule) => set({ schedule })}
            path="schedule"
          />
          <SelectField
            label="Sticky"
            value={form.sticky}
            options={[
              { value: '', label: "As the team's setting" },
              { value: 'yes', label: "Yes: prefer the customer's previous owner" },
              { value: 'no', label: 'No' },
            ]}
            onChange={(sticky) => set({ sticky: sticky as QueueForm['sticky'] })}
            path="sticky"
          />
          <TagsField
            legend="Required skills"
            noun="required skill"
            values={form.requiredSkills}
            onChange={(requiredSkills) => set({ requiredSkills })}
            path="requiredSkills"
            suggestions={skillSuggestions}
            placeholder="lang:es"
            hint="Only people with all of them are offered the queue's conversations."
          />
          <fieldset className="field">
            <legend>Service level</legend>
            <div className="dir-fields-grid">
              <TextField
                label="First response within"
                value={form.slaFirstResponse}
                onChange={(slaFirstResponse) => set({ slaFirstResponse })}
                path="sla.firstResponse"
                placeholder="5m"
                hint={`${DURATION_HINT} Empty: no SLA.`}
              />
              <CheckboxField
                label="Count only the queue's open hours"
                checked={form.slaBusinessHours}
                onChange={(slaBusinessHours) => set({ slaBusinessHours })}
                path="sla.businessHours"
              />
            </div>
          </fieldset>
          <fieldset className="field">
            <legend>Overflow</legend>
            <div className="dir-fields-grid">
              <TextField
                label="Move waiting conversations after"
                value={form.overflowAfter}
                onChange={(overflowAfter) => set({ overflowAfter })}
                path="overflow.after"
                placeholder="15m"
                hint={`${DURATION_HINT} Empty: no overflow.`}
              />
              <SelectField
                label="To queue"
                value={form.overflowTo}
                options={[
                  { value: '', label: 'No overflow' },
                  ...optionsOf((queues.items ?? []).filter((q) => q.id !== form.id)),
                ]}
                onChange={(overflowTo) => set({ overflowTo })}
                path="overflow.to"
              />
            </div>
          </fieldset>
          <fieldset className="field">
            <legend>Out of hours</legend>
            <div className="dir-fields-grid">
              <SelectField
                label="When the schedule is closed"
                value={form.outOfHoursAction}
                options={[
                  { value: '', label: 'Not set: queue and tell the customer' },
                  { value: 'queue_and_inform', label: 'Queue and tell the customer when it opens' },
                  { value: 'route', label: 'Route to someone on duty' },
                ]}
                onChange={(outOfHoursAction) =>
                  set({ outOfHoursAction: outOfHoursAction as QueueForm['outOfHoursAction'] })
                }
                path="outOfHours.action"
              />
              {form.outOfHoursAction === 'route' && (
                <DestinationField
                  legend="Route to"
                  value={form.outOfHoursTo}
                  onChange={(outOfHoursTo) => set({ outOfHoursTo })}
                  path="outOfHours.to"
                  options={{
                    queue: optionsOf(queues.items),
                    team: optionsOf(teams.items),
                    user: optionsOf(users.items),
                  }}
                />
              )}
            </div>
            {form.outOfHoursWhen !== undefined && (
              <p className="field-hint">
                This queue routes out of hours only when a condition holds; the condition is kept as it is
                (edit it in the workspace YAML).
              </p>
            )}
          </fieldset>
        </>
      )}
    />
  );
}
