import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { formatDuration, formatWaited } from '@apono-teams/domain/format.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import {
  Badge,
  Button,
  Card,
  Caption1,
  Checkbox,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkRegular, DismissRegular, OpenRegular } from '@fluentui/react-icons';
import { useId } from 'react';
import { cannotDecideText, permissionNames, resourceLines } from '../utils/summaries.js';

const shownResources = 4;

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalS },
  header: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  waited: { marginInlineStart: 'auto', color: tokens.colorNeutralForeground3 },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(7rem, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '@media (max-width: 480px)': { gridTemplateColumns: '1fr' },
  },
  term: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  list: { margin: 0, paddingInlineStart: 0, listStyleType: 'none' },
  justification: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    display: '-webkit-box',
    WebkitLineClamp: '3',
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

interface RequestCardProps {
  request: ApprovalRequest;
  now: Date;
  selected: boolean;
  onSelectedChange: (selected: boolean) => void;
  onDecide: (decision: Decision, opener: HTMLElement) => void;
  onOpenDetails: (opener: HTMLElement) => void;
}

export function RequestCard({
  request,
  now,
  selected,
  onSelectedChange,
  onDecide,
  onOpenDetails,
}: RequestCardProps) {
  const styles = useStyles();
  const titleId = useId();
  const resources = resourceLines(request);
  const permissions = permissionNames(request);
  const resourceCount = Math.max(request.totalResources, resources.length);
  const hiddenResources = resourceCount - Math.min(resources.length, shownResources);
  const { viewer } = request;

  return (
    <Card className={styles.card} role="article" aria-labelledby={titleId} data-request-id={request.id}>
      <div className={styles.header}>
        {viewer.canDecide && (
          <Checkbox
            checked={selected}
            onChange={(_, data) => onSelectedChange(data.checked === true)}
            aria-label={`Select ${request.id}`}
          />
        )}
        <h3 className={styles.title} id={titleId}>
          {request.id}
        </h3>
        <Badge appearance="tint" color="warning" shape="rounded">
          {request.status}
        </Badge>
        {request.requireReason && (
          <Badge appearance="outline" color="informative" shape="rounded">
            Reason required
          </Badge>
        )}
        <Caption1 className={styles.waited}>Waiting {formatWaited(request.createdAt, now)}</Caption1>
      </div>

      <dl className={styles.facts}>
        <dt className={styles.term}>Requester</dt>
        <dd className={styles.value}>
          <Text weight="semibold">{request.requester.name}</Text>{' '}
          <Text className={styles.muted}>{request.requester.email}</Text>
        </dd>
        <dt className={styles.term}>Why you</dt>
        <dd className={styles.value}>
          {viewer.approverReasons.length ? (
            <ul className={styles.list}>
              {viewer.approverReasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          ) : (
            'You are listed as an approver of this request'
          )}
        </dd>
        <dt className={styles.term}>Resources</dt>
        <dd className={styles.value}>
          <ul className={styles.list}>
            {resources.slice(0, shownResources).map((line) => (
              <li key={`${line.resource}/${line.integration ?? ''}`}>
                {line.resource}
                {line.integration && <Text className={styles.muted}> · {line.integration}</Text>}
              </li>
            ))}
            {hiddenResources > 0 && (
              <li className={styles.muted}>and {hiddenResources} more (see details)</li>
            )}
          </ul>
        </dd>
        <dt className={styles.term}>Integration{request.integrations.length === 1 ? '' : 's'}</dt>
        <dd className={styles.value}>
          {request.integrations.map((i) => `${i.name} (${i.typeDisplayName})`).join(', ') || '—'}
        </dd>
        <dt className={styles.term}>Permissions</dt>
        <dd className={styles.value}>{permissions.join(', ') || '—'}</dd>
        <dt className={styles.term}>Duration</dt>
        <dd className={styles.value}>{formatDuration(request.durationSeconds)}</dd>
        <dt className={styles.term}>Justification</dt>
        <dd className={styles.value}>
          {request.justification ? (
            <Text className={styles.justification} data-testid="justification">
              {request.justification}
            </Text>
          ) : (
            <Text className={styles.muted}>No justification given</Text>
          )}
        </dd>
      </dl>

      <div className={styles.actions}>
        {viewer.canDecide ? (
          <>
            <Button
              appearance="primary"
              icon={<CheckmarkRegular />}
              aria-label={`Approve ${request.id}`}
              onClick={(e) => onDecide('approve', e.currentTarget)}
            >
              Approve
            </Button>
            <Button
              icon={<DismissRegular />}
              aria-label={`Reject ${request.id}`}
              onClick={(e) => onDecide('reject', e.currentTarget)}
            >
              Reject
            </Button>
          </>
        ) : (
          <Caption1 className={styles.muted}>{cannotDecideText(viewer.cannotDecide)}</Caption1>
        )}
        <Button
          appearance="subtle"
          icon={<OpenRegular />}
          aria-label={`Details of ${request.id}`}
          onClick={(e) => onOpenDetails(e.currentTarget)}
        >
          Details
        </Button>
      </div>
    </Card>
  );
}
