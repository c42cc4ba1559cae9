import {
  MAX_REASON_LENGTH,
  reasonLength,
  reasonProblemMessage,
  type Decision,
  type ReasonCheck,
} from '@apono-teams/domain/reason.js';
import { Caption1, Field, Textarea, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useId, type KeyboardEvent } from 'react';
import { useWords } from '../../../lib/i18n.js';

const useStyles = makeStyles({
  // The hint and the counter share the line under the box.
  below: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'baseline',
    gap: tokens.spacingHorizontalM,
    marginBlockStart: tokens.spacingVerticalXXS,
  },
  hint: { color: tokens.colorNeutralForeground3 },
  counter: { flexShrink: 0, color: tokens.colorNeutralForeground3, fontVariantNumeric: 'tabular-nums' },
  over: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

interface ReasonFieldProps {
  label: string;
  hint: string;
  value: string;
  check: ReasonCheck;
  /** Names the decision in the "required" problem ("a reason for approval"). */
  decision: Decision;
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
  decision,
  showRequired,
  required,
  disabled,
  onChange,
  onSubmit,
}: ReasonFieldProps) {
  const styles = useStyles();
  const { t, f, say } = useWords();
  const hintId = useId();
  const counterId = useId();
  const length = reasonLength(value);
  // A missing reason waits until the person has started; a reason that is too long or has a character
  // that cannot be stored is said at once, since the send button is off until it is fixed.
  const problem =
    !check.ok && (check.code !== 'reason_required' || showRequired)
      ? say(reasonProblemMessage(check, decision))
      : undefined;

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onSubmit();
    }
  }

  return (
    <Field
      label={label}
      required={required}
      validationState={problem ? 'error' : 'none'}
      validationMessage={problem}
    >
      <Textarea
        value={value}
        resize="vertical"
        rows={3}
        disabled={disabled}
        aria-describedby={`${hintId} ${counterId}`}
        onChange={(_, data) => onChange(data.value)}
        onKeyDown={onKeyDown}
      />
      <div className={styles.below}>
        <Caption1 id={hintId} className={styles.hint}>
          {hint}
        </Caption1>
        <Caption1
          id={counterId}
          className={mergeClasses(styles.counter, length > MAX_REASON_LENGTH && styles.over)}
        >
          {t('reason.counter', { length: f.count(length), max: f.count(MAX_REASON_LENGTH) })}
        </Caption1>
      </div>
    </Field>
  );
}
