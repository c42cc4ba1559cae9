import type { RiskHint } from '@apono-teams/domain/risk.js';
import { makeStyles, tokens } from '@fluentui/react-components';
import { WarningRegular } from '@fluentui/react-icons';
import { PlainList } from '../../../components/PlainList.js';
import { UserText } from '../../../components/UserText.js';
import { useWords } from '../../../lib/i18n.js';
import type { Translate } from '@apono-teams/domain/message.js';

const useStyles = makeStyles({
  hint: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalXS },
  // The icon repeats what the words say; colour is never the only sign.
  icon: { flexShrink: 0, marginBlockStart: '2px', color: tokens.colorStatusWarningForeground1 },
  none: { color: tokens.colorNeutralForeground3 },
});

interface RiskHintsProps {
  hints: readonly RiskHint[] | undefined;
  /** Names the list for screen readers, e.g. "Risk hints for AR-1042". */
  label: string;
}

/** What to look at twice, one reason a line, as a list screen readers count. */
export function RiskHints({ hints, label }: RiskHintsProps) {
  const styles = useStyles();
  const { t, say } = useWords();
  if (!hints?.length) return <span className={styles.none}>{t('risk.none')}</span>;
  return (
    <PlainList spacing="none" aria-label={label} data-testid="risk-hints">
      {hints.map((hint) => (
        <li key={hint.rule} className={styles.hint} data-rule={hint.rule}>
          <WarningRegular className={styles.icon} aria-hidden />
          {/* The reason quotes names from Apono: text, isolated, never markup. */}
          <UserText text={say(hint.message)} />
        </li>
      ))}
    </PlainList>
  );
}

/** "3 risk hints", for the badge row. */
export const riskCountText = (hints: readonly RiskHint[] | undefined, t: Translate) =>
  t('risk.count', { count: hints?.length ?? 0 });
