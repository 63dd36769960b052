import { useId } from 'react';
import { DirectoryScreen } from './directory/DirectoryScreen.js';
import { FieldProblems, IdField, TextField, useFieldProblems } from './directory/fields.js';
import {
  WEEKDAYS,
  WEEKDAY_NAMES,
  describeHours,
  emptyScheduleForm,
  formToSchedule,
  overnightText,
  scheduleFormProblems,
  scheduleToForm,
  type ScheduleForm,
  type ScheduleItem,
  type WeekForm,
} from './directory/schedule-form.js';

/** IANA names the browser knows, offered as suggestions; any name the browser accepts is fine. */
const TIME_ZONES: readonly string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

/** Settings → Schedules: working hours in a time zone, several intervals a day, overnight ones, holidays (issue 4). */
export function SchedulesSettings() {
  const zonesId = useId();
  return (
    <>
      <datalist id={zonesId}>
        {TIME_ZONES.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <DirectoryScreen<ScheduleItem, ScheduleForm>
        section="schedules"
        title="Schedules"
        noun="schedule"
        intro="Opening hours in a time zone, used by queues (when they are open) and users (when they work). A day can have several intervals; an interval that ends earlier than it starts runs past midnight into the next day. Holidays are closed all day."
        nameOf={(s) => s.name ?? s.id}
        fieldsOf={(s) => [
          { label: 'Time zone', value: s.timezone },
          { label: 'Hours', value: describeHours(s.hours).join('\n') || 'Never open' },
          { label: 'Holidays', value: (s.holidays ?? []).join(', ') },
        ]}
        emptyForm={emptyScheduleForm}
        toForm={scheduleToForm}
        fromForm={formToSchedule}
        check={scheduleFormProblems}
        renderFields={({ form, set, editing }) => (
          <>
            <TextField
              label="Name"
              value={form.name}
              onChange={(name) => set({ name })}
              path="name"
              hint="Optional; shown in lists."
            />
            <IdField value={form.id} onChange={(id) => set({ id })} editing={editing} referredBy="queues and users" />
            <TextField
              label="Time zone"
              value={form.timezone}
              onChange={(timezone) => set({ timezone })}
              path="timezone"
              required
              list={zonesId}
              placeholder="Europe/Madrid"
              hint="An IANA time zone such as Europe/Madrid or America/New_York; the hours below are in it."
            />
            <WeekEditor week={form.week} onChange={(week) => set({ week })} />
            <HolidaysEditor holidays={form.holidays} onChange={(holidays) => set({ holidays })} />
          </>
        )}
      />
    </>
  );
}

function WeekEditor({ week, onChange }: { week: WeekForm; onChange: (week: WeekForm) => void }) {
  const id = useId();
  const messages = useFieldProblems('hours');
  return (
    <fieldset className="field" aria-describedby={`${id}-hint${messages.length > 0 ? ` ${id}-error` : ''}`}>
      <legend>Opening hours</legend>
      <p id={`${id}-hint`} className="field-hint">
        Times are HH:MM; 24:00 ends a day. A day without intervals is closed.
      </p>
      <FieldProblems id={`${id}-error`} messages={messages} />
      <div className="week">
        {WEEKDAYS.map((day) => {
          const intervals = week[day];
          const setDay = (next: WeekForm[typeof day]) => onChange({ ...week, [day]: next });
          return (
            <div key={day} className="weekday" role="group" aria-label={WEEKDAY_NAMES[day]}>
              <div className="weekday-name" aria-hidden="true">
                {WEEKDAY_NAMES[day]}
              </div>
              <div className="intervals">
                {intervals.length === 0 && <p className="muted small">Closed</p>}
                {intervals.map((interval, index) => {
                  const note = overnightText(interval, day);
                  const what = `${WEEKDAY_NAMES[day]} interval ${index + 1}`;
                  return (
                    <div key={index} className="interval">
                      <TextField
                        label={
                          <>
                            Opens<span className="visually-hidden"> ({what})</span>
                          </>
                        }
                        value={interval.start}
                        onChange={(start) =>
                          setDay(intervals.map((i, n) => (n === index ? { ...i, start } : i)))
                        }
                        path={`week.${day}[${index}].start`}
                        placeholder="09:00"
                        inputMode="numeric"
                      />
                      <TextField
                        label={
                          <>
                            Closes<span className="visually-hidden"> ({what})</span>
                          </>
                        }
                        value={interval.end}
                        onChange={(end) => setDay(intervals.map((i, n) => (n === index ? { ...i, end } : i)))}
                        path={`week.${day}[${index}].end`}
                        placeholder="17:00"
                        inputMode="numeric"
                      />
                      <button
                        type="button"
                        onClick={() => setDay(intervals.filter((_, n) => n !== index))}
                        aria-label={`Remove ${what}`}
                      >
                        Remove
                      </button>
                      {note !== null && <p className="interval-note">{note}</p>}
                    </div>
                  );
                })}
                <div>
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      setDay([
                        ...intervals,
                        intervals.length === 0 ? { start: '09:00', end: '17:00' } : { start: '', end: '' },
                      ])
                    }
                    aria-label={`Add an interval on ${WEEKDAY_NAMES[day]}`}
                  >
                    + Add interval
                  </button>
                </div>
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function HolidaysEditor({
  holidays,
  onChange,
}: {
  holidays: string[];
  onChange: (holidays: string[]) => void;
}) {
  const id = useId();
  const messages = useFieldProblems('holidays', true);
  return (
    <fieldset className="field" aria-describedby={`${id}-hint${messages.length > 0 ? ` ${id}-error` : ''}`}>
      <legend>Holidays</legend>
      <p id={`${id}-hint`} className="field-hint">
        Closed all day on these dates, in the schedule's time zone.
      </p>
      {holidays.length > 0 && (
        <ul className="holidays" aria-label="Holidays">
          {holidays.map((date, index) => (
            <li key={index}>
              <TextField
                label={`Holiday ${index + 1}`}
                type="date"
                value={date}
                onChange={(next) => onChange(holidays.map((d, n) => (n === index ? next : d)))}
                path={`holidays[${index}]`}
              />
              <button
                type="button"
                onClick={() => onChange(holidays.filter((_, n) => n !== index))}
                aria-label={`Remove holiday ${date === '' ? index + 1 : date}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldProblems id={`${id}-error`} messages={messages} />
      <div>
        <button type="button" onClick={() => onChange([...holidays, ''])}>
          Add holiday
        </button>
      </div>
    </fieldset>
  );
}
