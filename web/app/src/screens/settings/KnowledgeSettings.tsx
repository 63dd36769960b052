import { DirectoryScreen } from './directory/DirectoryScreen.js';
import { IdField, TagsField, TextField } from './directory/fields.js';
import {
  emptyKnowledgeForm,
  formToKnowledge,
  knowledgeToForm,
  type KnowledgeForm,
  type KnowledgeItem,
} from './directory/forms.js';

/** The first lines of an article for its card: whole words, at most about 160 characters. */
function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text.length <= 160) return text;
  const cut = text.slice(0, 160);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 120))}…`;
}

/** Settings → Knowledge: the articles the built-in AI agent answers from (issue 4). */
export function KnowledgeSettings() {
  return (
    <DirectoryScreen<KnowledgeItem, KnowledgeForm>
      section="knowledge"
      title="Knowledge"
      noun="article"
      intro="Articles the built-in AI agent answers customers from, in the customer's language. Write the body as plain text, as you would answer the question."
      nameOf={(k) => k.title}
      fieldsOf={(k) => [
        { label: 'Language', value: k.language ?? 'en' },
        { label: 'Tags', value: (k.tags ?? []).join(', ') },
        { label: 'Body', value: excerpt(k.body) },
      ]}
      emptyForm={emptyKnowledgeForm}
      toForm={knowledgeToForm}
      fromForm={formToKnowledge}
      renderFields={({ form, set, editing }) => (
        <>
          <TextField
            label="Title"
            value={form.title}
            onChange={(title) => set({ title })}
            path="title"
            required
            className="field-wide"
            hint="The question as a customer asks it."
          />
          <IdField value={form.id} onChange={(id) => set({ id })} editing={editing} />
          <TextField
            label="Language"
            value={form.language}
            onChange={(language) => set({ language })}
            path="language"
            placeholder="en"
            hint="A language tag such as en, es or pt-BR."
          />
          <TextField
            label="Body"
            multiline
            value={form.body}
            onChange={(body) => set({ body })}
            path="body"
            required
            className="field-wide"
          />
          <TagsField
            legend="Tags"
            noun="tag"
            values={form.tags}
            onChange={(tags) => set({ tags })}
            path="tags"
          />
        </>
      )}
    />
  );
}
