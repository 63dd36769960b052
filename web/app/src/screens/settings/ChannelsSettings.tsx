import { DestinationField } from './directory/DestinationField.js';
import { DirectoryScreen } from './directory/DirectoryScreen.js';
import { SnippetField } from './directory/SnippetField.js';
import { IdField, SelectField, TextField } from './directory/fields.js';
import {
  ASSISTANT_LABELS,
  CHANNEL_TYPE_LABELS,
  channelToForm,
  describeDestination,
  emptyChannelForm,
  formToChannel,
  labelledOptions,
  type ChannelForm,
  type ChannelItem,
  type QueueItem,
  type TeamItem,
  type UserItem,
} from './directory/forms.js';
import { hasWidgetSnippet } from './directory/snippet.js';
import { optionsOf, useDirectoryList } from './directory/use-directory-list.js';

/** Settings → Channels: where customers reach you, who answers first, where handoffs go; the website chat's snippet (issue 4). */
export function ChannelsSettings() {
  const queues = useDirectoryList<QueueItem>('queues');
  const teams = useDirectoryList<TeamItem>('teams');
  const users = useDirectoryList<UserItem>('users');
  return (
    <DirectoryScreen<ChannelItem, ChannelForm>
      section="channels"
      title="Channels"
      noun="channel"
      intro="Where customers reach you: the website chat (one snippet on your site), email, in-app and the API. The assistant answers first unless it is None; the default route is where conversations go when no rule says otherwise."
      nameOf={(c) => c.name ?? c.id}
      fieldsOf={(c) => [
        { label: 'Type', value: CHANNEL_TYPE_LABELS[c.type] },
        { label: 'Assistant', value: ASSISTANT_LABELS[c.assistant ?? 'builtin'] },
        { label: 'Default route', value: describeDestination(c.defaultRoute) },
        ...(c.type === 'email' ? [{ label: 'Address', value: c.address ?? '' }] : []),
        ...(c.assistant === 'webhook' ? [{ label: 'Bot URL', value: c.botUrl ?? '' }] : []),
      ]}
      extraOf={(c) => (hasWidgetSnippet(c) ? <SnippetField channelId={c.id} /> : null)}
      emptyForm={emptyChannelForm}
      toForm={channelToForm}
      fromForm={formToChannel}
      renderFields={({ form, set, editing }) => (
        <>
          <TextField
            label="Name"
            value={form.name}
            onChange={(name) => set({ name })}
            path="name"
            hint="Optional; shown in the inbox."
          />
          <IdField value={form.id} onChange={(id) => set({ id })} editing={editing} referredBy="the widget snippet and rules" newHint="Lowercase letters, digits, - and _; the widget snippet names it." />
          <SelectField
            label="Type"
            value={form.type}
            options={labelledOptions(CHANNEL_TYPE_LABELS)}
            onChange={(type) => set({ type: type as ChannelForm['type'] })}
            path="type"
            hint="Chat is the website widget."
          />
          <SelectField
            label="Assistant"
            value={form.assistant}
            options={labelledOptions(ASSISTANT_LABELS)}
            onChange={(assistant) => set({ assistant: assistant as ChannelForm['assistant'] })}
            path="assistant"
            hint="Who answers first; it hands over to people when it should."
          />
          {form.type === 'email' && (
            <TextField
              label="Address"
              type="email"
              value={form.address}
              onChange={(address) => set({ address })}
              path="address"
              placeholder="support@example.com"
              hint="Mail to this address becomes conversations of this channel."
            />
          )}
          {form.assistant === 'webhook' && (
            <>
              <TextField
                label="Bot URL"
                type="url"
                value={form.botUrl}
                onChange={(botUrl) => set({ botUrl })}
                path="botUrl"
                placeholder="https://bot.example.com/baton"
                hint="Customer messages are posted here."
              />
              <TextField
                label="Bot signing secret"
                value={form.botSecret}
                onChange={(botSecret) => set({ botSecret })}
                path="botSecret"
                placeholder="${BOT_SECRET}"
                hint="whsec_… or a ${VARIABLE} read from the server's environment."
              />
            </>
          )}
          <DestinationField
            legend="Default route"
            value={form.defaultRoute}
            onChange={(defaultRoute) => set({ defaultRoute })}
            path="defaultRoute"
            options={{
              queue: optionsOf(queues.items),
              team: optionsOf(teams.items),
              user: optionsOf(users.items),
            }}
          />
        </>
      )}
    />
  );
}
