import { useState, type InputHTMLAttributes } from 'react';
import { formatPath, type Path, type Problem } from './edit-rules.js';

/** The id of the problems shown at a place in the form (`rules[2].then.destination`), for aria-describedby. */
export const problemsId = (path: Path): string =>
  `problems-${formatPath(path).replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The server's problems for one control, next to it. */
export function FieldProblems({ path, problems }: { path: Path; problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems" id={problemsId(path)}>
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

/** aria-invalid and aria-describedby for a control with problems at `path`. */
export function invalidProps(path: Path, problems: readonly Problem[]) {
  return problems.length === 0 ? {} : { 'aria-invalid': true as const, 'aria-describedby': problemsId(path) };
}

type TextProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
  /** The value as stored, written as text. */
  readonly text: string;
  /** Called with the text as typed; the parent parses it. */
  readonly onText: (text: string) => void;
  /** The stored value's text for some typed text (parse, then write back); default as typed. */
  readonly normalize?: (text: string) => string;
};

/**
 * A text box that keeps what the person types (`es, ` on the way to `es, pt`) while the stored
 * value is parsed from it; it takes the stored value again when that changes from elsewhere.
 */
export function TextBox({ text, onText, normalize = (t) => t, ...rest }: TextProps) {
  const [typed, setTyped] = useState(text);
  const [from, setFrom] = useState(text);
  if (from !== text) {
    // The stored value changed: keep the typing when it still reads as that value.
    setFrom(text);
    if (normalize(typed) !== text) setTyped(text);
  }
  return (
    <input
      type="text"
      {...rest}
      value={typed}
      onChange={(e) => {
        setTyped(e.target.value);
        onText(e.target.value);
      }}
    />
  );
}
