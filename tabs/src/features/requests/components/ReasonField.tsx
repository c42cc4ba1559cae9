import { MAX_REASON_LENGTH, reasonLength, type ReasonCheck } from '@apono-teams/domain/reason.js';
import { Caption1, Field, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useId, type KeyboardEvent } from 'react';

const useStyles = makeStyles({
  counter: { display: 'block', textAlign: 'end', color: tokens.colorNeutralForeground3 },
  over: { color: tokens.colorPaletteRedForeground1 },
});

interface ReasonFieldProps {
  label: string;
  hint: string;
  value: string;
  check: ReasonCheck;
  /** Show "required" problems only once the person has typed and cleared, not before they start. */
  showRequired: boolean;
  required: boolean;
  disabled?: boolean;
  onChange: (value: string) => void;
  onSubmit: () => void;
}

/** The reason textarea: live "n / 123" counter (Apono's count), Enter submits, Shift+Enter adds a line. */
export function ReasonField({
  label,
  hint,
  value,
  check,
  showRequired,
  required,
  disabled,
  onChange,
  onSubmit,
}: ReasonFieldProps) {
  const styles = useStyles();
  const counterId = useId();
  const length = reasonLength(value);
  const problem = !check.ok && (check.code === 'reason_too_long' || showRequired) ? check.message : undefined;

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onSubmit();
    }
  }

  return (
    <Field
      label={label}
      hint={hint}
      required={required}
      validationState={problem ? 'error' : 'none'}
      validationMessage={problem}
    >
      <Textarea
        value={value}
        resize="vertical"
        rows={3}
        disabled={disabled}
        aria-describedby={counterId}
        onChange={(_, data) => onChange(data.value)}
        onKeyDown={onKeyDown}
      />
      <Caption1
        id={counterId}
        className={length > MAX_REASON_LENGTH ? `${styles.counter} ${styles.over}` : styles.counter}
      >
        {length} / {MAX_REASON_LENGTH}
      </Caption1>
    </Field>
  );
}
