import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { formatDuration, formatWaited } from '@apono-teams/domain/format.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import type { RiskHint } from '@apono-teams/domain/risk.js';
import { Badge, Button, Caption1, Checkbox, Text, makeStyles, tokens } from '@fluentui/react-components';
import { OpenRegular } from '@fluentui/react-icons';
import { Fact, FactList } from '../../../components/FactList.js';
import { PlainList } from '../../../components/PlainList.js';
import { RequestArticle } from '../../../components/RequestArticle.js';
import { StatusBadge } from '../../../components/StatusBadge.js';
import { UserText } from '../../../components/UserText.js';
import { AllOfProgress } from './AllOfProgress.js';
import { DecisionButtons } from './DecisionButtons.js';
import { RiskHints, riskCountText } from './RiskHints.js';
import { cannotDecideText, permissionNames, resourceLines } from '../utils/summaries.js';

const shownResources = 4;

const useStyles = makeStyles({
  waited: { marginInlineStart: 'auto', color: tokens.colorNeutralForeground3 },
  justification: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    display: '-webkit-box',
    WebkitLineClamp: '3',
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

interface RequestCardProps {
  request: ApprovalRequest & { risk?: RiskHint[] };
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
  const resources = resourceLines(request);
  const permissions = permissionNames(request);
  const resourceCount = Math.max(request.totalResources, resources.length);
  const hiddenResources = resourceCount - Math.min(resources.length, shownResources);
  const { viewer } = request;

  return (
    <RequestArticle
      requestId={request.id}
      displayId={request.displayId}
      leading={
        viewer.canDecide && (
          <Checkbox
            checked={selected}
            onChange={(_, data) => onSelectedChange(data.checked === true)}
            aria-label={`Select ${displayText(request.displayId)}`}
          />
        )
      }
      badges={
        <>
          <StatusBadge state={request.state} label={request.statusLabel} />
          {request.risk?.length ? (
            <Badge appearance="tint" color="warning" shape="rounded">
              {riskCountText(request.risk)}
            </Badge>
          ) : null}
          {request.requireReason && (
            <Badge appearance="outline" color="informative" shape="rounded">
              Reason required
            </Badge>
          )}
          <Caption1 className={styles.waited}>Waiting {formatWaited(request.createdAt, now)}</Caption1>
        </>
      }
    >
      <FactList>
        <Fact term="Risk">
          <RiskHints hints={request.risk} label={`Risk hints for ${displayText(request.displayId)}`} />
        </Fact>
        <Fact term="Requester">
          <Text weight="semibold">
            <UserText text={request.requester.name} />
          </Text>{' '}
          <Text className={styles.muted}>
            <UserText text={request.requester.email} />
          </Text>
        </Fact>
        <Fact term="Why you">
          {viewer.approverReasons.length ? (
            <PlainList spacing="none">
              {viewer.approverReasons.map((reason) => (
                <li key={reason}>
                  <UserText text={reason} />
                </li>
              ))}
            </PlainList>
          ) : (
            'You are listed as an approver of this request'
          )}
        </Fact>
        <AllOfProgress request={request} inList />
        <Fact term="Resources">
          <PlainList spacing="none">
            {resources.slice(0, shownResources).map((line) => (
              <li key={`${line.resource}/${line.integration ?? ''}`}>
                <UserText text={line.resource} />
                {line.integration && (
                  <Text className={styles.muted}>
                    {' '}
                    · <UserText text={line.integration} />
                  </Text>
                )}
              </li>
            ))}
            {hiddenResources > 0 && (
              <li className={styles.muted}>and {hiddenResources} more (see details)</li>
            )}
          </PlainList>
        </Fact>
        <Fact term={`Integration${request.integrations.length === 1 ? '' : 's'}`}>
          {request.integrations.length
            ? request.integrations.map((i, index) => (
                <span key={`${i.id}:${index}`}>
                  {index > 0 && ', '}
                  <UserText text={i.name} /> (<UserText text={i.typeDisplayName} />)
                </span>
              ))
            : '—'}
        </Fact>
        <Fact term="Permissions">
          {permissions.length
            ? permissions.map((permission, index) => (
                <span key={permission}>
                  {index > 0 && ', '}
                  <UserText text={permission} />
                </span>
              ))
            : '—'}
        </Fact>
        <Fact term="Duration">{formatDuration(request.durationSeconds)}</Fact>
        <Fact term="Justification">
          {request.justification ? (
            // dir="auto": the paragraph takes the direction of its own first strong letter, isolated
            // from the labels around it; one text node, so nothing in it becomes an element.
            <Text className={styles.justification} data-testid="justification" dir="auto">
              {displayText(request.justification)}
            </Text>
          ) : (
            <Text className={styles.muted}>No justification given</Text>
          )}
        </Fact>
      </FactList>

      <div className={styles.actions}>
        {viewer.canDecide ? (
          <DecisionButtons requestId={request.displayId} onDecide={onDecide} />
        ) : (
          <Caption1 className={styles.muted}>
            {cannotDecideText(viewer.cannotDecide, viewer.decided)}
          </Caption1>
        )}
        <Button
          appearance="subtle"
          icon={<OpenRegular />}
          aria-label={`Details of ${request.displayId}`}
          onClick={(e) => onOpenDetails(e.currentTarget)}
        >
          Details
        </Button>
      </div>
    </RequestArticle>
  );
}
