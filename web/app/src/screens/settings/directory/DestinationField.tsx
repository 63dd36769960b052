import { useId } from 'react';
import { DESTINATION_LABELS, type DestinationForm, type DestinationKind } from './forms.js';
import { FieldProblems, SelectField, useFieldProblems, type Option } from './fields.js';

/** Where conversations go: a queue, a team or a user, each picked from its list. */
export function DestinationField(props: {
  legend: string;
  value: DestinationForm;
  onChange: (value: DestinationForm) => void;
  options: Readonly<Record<DestinationKind, readonly Option[]>>;
  path: string;
}) {
  const id = useId();
  const messages = useFieldProblems(props.path);
  const kinds = Object.keys(DESTINATION_LABELS) as DestinationKind[];
  const targets = props.options[props.value.kind];
  return (
    <fieldset
      className="field destination-field"
      aria-describedby={messages.length > 0 ? `${id}-error` : undefined}
    >
      <legend>{props.legend}</legend>
      <div className="destination-row">
        <SelectField
          label="Kind"
          value={props.value.kind}
          options={kinds.map((k) => ({ value: k, label: DESTINATION_LABELS[k] }))}
          onChange={(kind) =>
            props.onChange({
              kind: kind as DestinationKind,
              id: props.options[kind as DestinationKind][0]?.value ?? '',
            })
          }
        />
        <SelectField
          label={DESTINATION_LABELS[props.value.kind]}
          value={props.value.id}
          options={props.value.id === '' ? [{ value: '', label: 'Choose…' }, ...targets] : targets}
          onChange={(target) => props.onChange({ ...props.value, id: target })}
        />
      </div>
      <FieldProblems id={`${id}-error`} messages={messages} />
    </fieldset>
  );
}
