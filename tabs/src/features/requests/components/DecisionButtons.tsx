import type { Decision } from '@apono-teams/domain/reason.js';
import { Button, type ButtonProps } from '@fluentui/react-components';
import { CheckmarkRegular, DismissRegular } from '@fluentui/react-icons';
import { useWords } from '../../../lib/i18n.js';
import { decisionWords } from '../utils/decision-words.js';

interface DecisionButtonsProps {
  onDecide: (decision: Decision, opener: HTMLElement) => void;
  /** The buttons act on the selection ("Approve selected"). */
  object?: 'selected';
  /** The request a button acts on, for its accessible name where many cards show the same buttons. */
  requestId?: string;
  size?: ButtonProps['size'];
  disabled?: boolean;
}

const appearance = { approve: 'primary', reject: 'secondary' } as const;
const icon = { approve: <CheckmarkRegular />, reject: <DismissRegular /> };

/** Approve (primary) and Reject, on a card, in the details and for a selection. */
export function DecisionButtons({ onDecide, object, requestId, size, disabled }: DecisionButtonsProps) {
  const { t } = useWords();
  return (['approve', 'reject'] as const).map((decision) => {
    const { verb } = decisionWords(decision, t);
    return (
      <Button
        key={decision}
        appearance={appearance[decision]}
        icon={icon[decision]}
        size={size}
        disabled={disabled}
        aria-label={requestId ? t(`decide.${decision}.request`, { id: requestId }) : undefined}
        onClick={(e) => onDecide(decision, e.currentTarget)}
      >
        {object ? t(`decide.${decision}.selected`) : verb}
      </Button>
    );
  });
}
