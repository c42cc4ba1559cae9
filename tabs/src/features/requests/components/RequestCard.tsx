import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import type { RiskHint } from '@apono-teams/domain/risk.js';
import { Badge, Button, Caption1, Checkbox, Text, makeStyles, tokens } from '@fluentui/react-components';
import { OpenRegular } from '@fluentui/react-icons';
import { Fact, FactList } from '../../../components/FactList.js';
import { PlainList } from '../../../components/PlainList.js';
import { RequestArticle } from '../../../components/RequestArticle.js';
import { StatusBadge } from '../../../components/StatusBadge.js';
import { NameList } from '../../../components/NameList.js';
import { Sentence } from '../../../components/Sentence.js';
import { UserText } from '../../../components/UserText.js';
import { useWords } from '../../../lib/i18n.js';
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
  const { t, f, say } = useWords();
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
            aria-label={t('card.select', { id: displayText(request.displayId) })}
          />
        )
      }
      badges={
        <>
          <StatusBadge state={request.state} label={request.statusLabel} />
          {request.risk?.length ? (
            <Badge appearance="tint" color="warning" shape="rounded">
              {riskCountText(request.risk, t)}
            </Badge>
          ) : null}
          {request.requireReason && (
            <Badge appearance="outline" color="informative" shape="rounded">
              {t('card.reasonRequired')}
            </Badge>
          )}
          <Caption1 className={styles.waited}>
            {t('card.waiting', { age: f.waited(request.createdAt, now) })}
          </Caption1>
        </>
      }
    >
      <FactList>
        <Fact term={t('card.risk')}>
          <RiskHints hints={request.risk} label={t('card.riskFor', { id: displayText(request.displayId) })} />
        </Fact>
        <Fact term={t('card.requester')}>
          <Text weight="semibold">
            <UserText text={request.requester.name} />
          </Text>{' '}
          <Text className={styles.muted}>
            <UserText text={request.requester.email} />
          </Text>
        </Fact>
        <Fact term={t('card.whyYou')}>
          {viewer.approverReasons.length ? (
            <PlainList spacing="none">
              {viewer.approverReasons.map(say).map((reason) => (
                <li key={reason}>
                  <UserText text={reason} />
                </li>
              ))}
            </PlainList>
          ) : (
            t('card.listed')
          )}
        </Fact>
        <AllOfProgress request={request} inList />
        <Fact term={t('card.resources')}>
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
              <li className={styles.muted}>{t('card.moreResources', { count: hiddenResources })}</li>
            )}
          </PlainList>
        </Fact>
        <Fact term={t('card.integrations', { count: request.integrations.length })}>
          {request.integrations.length ? (
            <NameList
              items={request.integrations.map((i, index) => (
                <Sentence
                  key={`${i.id}:${index}`}
                  words={(marks) => t('card.integration', marks)}
                  parts={{ name: <UserText text={i.name} />, type: <UserText text={i.typeDisplayName} /> }}
                />
              ))}
            />
          ) : (
            '—'
          )}
        </Fact>
        <Fact term={t('card.permissions')}>
          {permissions.length ? <NameList items={permissions} /> : '—'}
        </Fact>
        <Fact term={t('card.duration')}>{f.duration(request.durationSeconds) ?? t('common:noEndDate')}</Fact>
        <Fact term={t('card.justification')}>
          {request.justification ? (
            // dir="auto": the paragraph takes the direction of its own first strong letter, isolated
            // from the labels around it; one text node, so nothing in it becomes an element.
            <Text className={styles.justification} data-testid="justification" dir="auto">
              {displayText(request.justification)}
            </Text>
          ) : (
            <Text className={styles.muted}>{t('card.noJustification')}</Text>
          )}
        </Fact>
      </FactList>

      <div className={styles.actions}>
        {viewer.canDecide ? (
          <DecisionButtons requestId={request.displayId} onDecide={onDecide} />
        ) : (
          <Caption1 className={styles.muted}>
            {cannotDecideText(t, viewer.cannotDecide, viewer.decided)}
          </Caption1>
        )}
        <Button
          appearance="subtle"
          icon={<OpenRegular />}
          aria-label={t('card.detailsOf', { id: request.displayId })}
          onClick={(e) => onOpenDetails(e.currentTarget)}
        >
          {t('card.details')}
        </Button>
      </div>
    </RequestArticle>
  );
}
