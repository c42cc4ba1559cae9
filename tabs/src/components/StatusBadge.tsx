import type { RequestState } from '@apono-teams/domain/status.js';
import { Badge, type BadgeProps } from '@fluentui/react-components';
import { useWords } from '../lib/i18n.js';

const colorOf: Record<RequestState, NonNullable<BadgeProps['color']>> = {
  initializing: 'informative',
  waiting: 'warning',
  pending_mfa: 'warning',
  granting: 'success',
  active: 'success',
  revoking: 'informative',
  revoked: 'informative',
  rejected: 'danger',
  failed: 'danger',
  unknown: 'informative',
};

interface StatusBadgeProps {
  state: RequestState;
  /** The request's `statusLabel`: an unknown Apono status arrives verbatim and is shown so. */
  label: string;
}

/** A request's status as Apono reports it, coloured by what it means. */
export function StatusBadge({ state, label }: StatusBadgeProps) {
  const { t } = useWords();
  return (
    <Badge appearance="tint" shape="rounded" color={colorOf[state] ?? 'informative'}>
      {state === 'unknown' ? label : t(`common:status.${state}`)}
    </Badge>
  );
}
