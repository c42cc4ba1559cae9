import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import { keepListedHints, type RiskedRequest } from '@apono-teams/domain/risk.js';
import {
  Button,
  Caption1,
  DrawerBody,
  DrawerFooter,
  DrawerHeader,
  DrawerHeaderTitle,
  OverlayDrawer,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular, OpenRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { DecisionFacts } from '../../../components/DecisionFacts.js';
import { Fact, FactList } from '../../../components/FactList.js';
import { NameList } from '../../../components/NameList.js';
import { LoadStatus } from '../../../components/LoadStatus.js';
import { StatusBadge } from '../../../components/StatusBadge.js';
import { Sentence } from '../../../components/Sentence.js';
import { UserText } from '../../../components/UserText.js';
import { useWords } from '../../../lib/i18n.js';
import { aponoTasksUrl } from '../../../lib/apono-links.js';
import { useNarrow } from '../../../lib/use-narrow.js';
import { useResource } from '../../../lib/use-resource.js';
import { getRequest } from '../api/requests.js';
import { pageOf } from '../utils/paging.js';
import { cannotDecideText, relationText } from '../utils/summaries.js';
import { AllOfProgress } from './AllOfProgress.js';
import { Approvers } from './Approvers.js';
import { DecisionButtons } from './DecisionButtons.js';
import { RiskHints } from './RiskHints.js';

export const unitsPerPage = 20;

const useStyles = makeStyles({
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: `calc(${tokens.strokeWidthThick} * -1)`,
    },
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  heading: {
    margin: 0,
    fontSize: tokens.fontSizeBase400,
    lineHeight: tokens.lineHeightBase400,
    fontWeight: tokens.fontWeightSemibold,
  },
  justification: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  tableWrap: { overflowX: 'auto' },
  // Columns as wide as their content needs, not equal shares.
  table: { tableLayout: 'auto' },
  // The first column (who, or which resource) says the most: give it the room.
  mainColumn: { width: '45%' },
  cell: { overflowWrap: 'anywhere', paddingBlock: tokens.spacingVerticalXS },
  path: { display: 'block', color: tokens.colorNeutralForeground3 },
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  footer: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

interface RequestDetailsProps {
  requestId: string;
  /** The request as the list showed it: its "first request" hint needs the list to compare with. */
  listed?: RiskedRequest | undefined;
  /** Apono's end-user portal, for "Open in Apono". */
  aponoPortalUrl: string;
  onClose: () => void;
  onDecide: (request: ApprovalRequest, decision: Decision, opener: HTMLElement) => void;
}

/** Everything about one request: every access unit (paged), the approval state, the full justification. */
export default function RequestDetails({
  requestId,
  listed,
  aponoPortalUrl,
  onClose,
  onDecide,
}: RequestDetailsProps) {
  const styles = useStyles();
  const { t } = useWords();
  const narrow = useNarrow();
  const details = useResource(() => getRequest(requestId), requestId);
  const request = details.data;

  return (
    <OverlayDrawer
      open
      position="end"
      size={narrow ? 'full' : 'medium'}
      onOpenChange={(_, data) => {
        if (!data.open) onClose();
      }}
    >
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button
              appearance="subtle"
              aria-label={t('details.close')}
              icon={<DismissRegular />}
              onClick={onClose}
            />
          }
        >
          <Sentence
            words={(marks) => t('details.title', marks)}
            parts={{ id: <UserText text={request?.displayId ?? requestId} /> }}
          />
        </DrawerHeaderTitle>
      </DrawerHeader>
      {/* The body scrolls, often with nothing focusable in it (a short request on a phone): it takes
          focus itself so the keyboard can scroll it (axe scrollable-region-focusable). */}
      <DrawerBody className={styles.body} tabIndex={0} role="region" aria-label={t('details.region')}>
        <LoadStatus
          loaded={request !== undefined}
          loading={details.loading}
          error={details.error}
          errorTitle={t('details.loadFailed')}
          onRetry={() => void details.reload()}
          loadingLabel={t('details.loading')}
          placeholders={[24, 96, 128]}
        />
        {request && <DetailsContent request={request} listed={listed} />}
      </DrawerBody>
      <DrawerFooter className={styles.footer}>
        {request?.viewer.canDecide && (
          <DecisionButtons onDecide={(decision, opener) => onDecide(request, decision, opener)} />
        )}
        {request && !request.viewer.canDecide && (
          <Caption1 className={styles.muted}>
            {cannotDecideText(t, request.viewer.cannotDecide, request.viewer.decided)}
          </Caption1>
        )}
        <Button
          as="a"
          href={aponoTasksUrl(aponoPortalUrl)}
          target="_blank"
          rel="noreferrer"
          appearance="subtle"
          icon={<OpenRegular />}
        >
          {t('details.openInApono')}
        </Button>
      </DrawerFooter>
    </OverlayDrawer>
  );
}

function DetailsContent({ request, listed }: { request: RiskedRequest; listed?: RiskedRequest | undefined }) {
  const styles = useStyles();
  const { t, f, say } = useWords();
  const risk = keepListedHints(request.risk ?? [], listed?.risk);
  const [page, setPage] = useState(1);
  const units = pageOf(request.accessUnits, page, unitsPerPage);
  const approval = request.approval;

  return (
    <>
      <section className={styles.section} aria-labelledby="details-summary">
        <h3 className={styles.heading} id="details-summary">
          {t('details.summary')}
        </h3>
        <FactList>
          <Fact term={t('details.status')}>
            <StatusBadge state={request.state} label={request.statusLabel} />
            {request.statusDescription && (
              <Caption1 className={styles.muted}>
                {' '}
                <UserText text={request.statusDescription} />
              </Caption1>
            )}
          </Fact>
          <Fact term={t('card.requester')}>
            <Sentence
              words={(marks) => t('decision.nameWithEmail', marks)}
              parts={{
                name: <UserText text={request.requester.name} />,
                email: <UserText text={request.requester.email} />,
              }}
            />
          </Fact>
          {request.grantee && (
            <Fact term={t('details.accessFor')}>
              <UserText text={request.grantee.name} />
            </Fact>
          )}
          {request.accessFlow && (
            <Fact term={t('details.accessFlow')}>
              <UserText text={request.accessFlow} />
            </Fact>
          )}
          <Fact term={t('details.reasonNeeded')}>
            {request.reasonDisabled
              ? t('details.reasonOff')
              : request.requireReason
                ? t('details.reasonYes')
                : t('details.reasonNo')}
          </Fact>
          <Fact term={t('card.duration')}>
            {f.duration(request.durationSeconds) ?? t('common:noEndDate')}
          </Fact>
          <Fact term={t('details.requested')}>
            {t('details.requestedAt', {
              date: f.dateTime(request.createdAt),
              age: f.waited(request.createdAt),
            })}
          </Fact>
          <Fact term={t('card.whyYou')}>
            {request.viewer.approverReasons.length ? (
              <NameList items={request.viewer.approverReasons.map(say)} />
            ) : (
              '—'
            )}
          </Fact>
        </FactList>
      </section>

      <section className={styles.section} aria-labelledby="details-risk">
        <h3 className={styles.heading} id="details-risk">
          {t('details.riskHints')}
        </h3>
        <RiskHints hints={risk} label={t('details.riskHints')} />
      </section>

      {request.decision && (
        <section className={styles.section} aria-labelledby="details-decision">
          <h3 className={styles.heading} id="details-decision">
            {t('details.decision')}
          </h3>
          <FactList>
            <Fact term={t('details.outcome')}>{t(`details.outcomes.${request.decision.outcome}`)}</Fact>
            <DecisionFacts decision={request.decision} />
          </FactList>
        </section>
      )}

      <section className={styles.section} aria-labelledby="details-justification">
        <h3 className={styles.heading} id="details-justification">
          {t('card.justification')}
        </h3>
        {/* dir="auto": the text takes its own direction, isolated; one text node, no elements. */}
        <Text className={styles.justification} data-testid="full-justification" dir="auto">
          {displayText(request.justification) || t('details.noJustification')}
        </Text>
      </section>

      <section className={styles.section} aria-labelledby="details-approval">
        <h3 className={styles.heading} id="details-approval">
          {t('details.approval')}
        </h3>
        {approval ? (
          <>
            <Text>
              {approval.currentTier != null
                ? t('details.relationTier', {
                    relation: relationText(approval.relation, t),
                    tier: f.count(approval.currentTier),
                  })
                : t('details.relation', { relation: relationText(approval.relation, t) })}
            </Text>
            <AllOfProgress request={request} />
            <Approvers approval={approval} />
          </>
        ) : (
          <Text>{t('details.noApprovers')}</Text>
        )}
      </section>

      <section className={styles.section} aria-labelledby="details-access">
        <h3 className={styles.heading} id="details-access">
          {t('details.access', {
            resources: t('details.resources', { count: request.totalResources }),
            permissions: t('details.permissions', { count: request.totalPermissions }),
          })}
        </h3>
        <DetailsTable
          label={t('details.accessTable')}
          columns={[t('details.resource'), t('details.integration'), t('details.permission')]}
          rows={units.items.map((unit, index) => ({
            key: `${units.first + index}`,
            cells: [
              <>
                <UserText text={unit.resource} />
                {unit.resourceType && (
                  <>
                    {' '}
                    <Sentence
                      words={(marks) => t('details.resourceType', marks)}
                      parts={{ type: <UserText text={unit.resourceType} /> }}
                    />
                  </>
                )}
                {unit.resourcePath && unit.resourcePath !== unit.resource && (
                  <Caption1 className={styles.path} dir="auto">
                    {displayText(unit.resourcePath)}
                  </Caption1>
                )}
              </>,
              unit.integration ? <UserText text={unit.integration} /> : '—',
              <UserText text={unit.permission} />,
            ],
          }))}
        />
        {units.pageCount > 1 && (
          <nav className={styles.pager} aria-label={t('details.pages')}>
            <Button size="small" disabledFocusable={units.page <= 1} onClick={() => setPage(units.page - 1)}>
              {t('details.previous')}
            </Button>
            <Text aria-live="polite">
              {t('details.pageOf', {
                first: f.count(units.first),
                last: f.count(units.last),
                total: f.count(request.accessUnits.length),
                page: f.count(units.page),
                pages: f.count(units.pageCount),
              })}
            </Text>
            <Button
              size="small"
              disabledFocusable={units.page >= units.pageCount}
              onClick={() => setPage(units.page + 1)}
            >
              {t('details.next')}
            </Button>
          </nav>
        )}
      </section>
    </>
  );
}

interface DetailsTableProps {
  label: string;
  columns: readonly string[];
  rows: ReadonlyArray<{ key: string; cells: readonly ReactNode[] }>;
}

/** A compact table that scrolls sideways rather than squeezing, its first column the widest. */
function DetailsTable({ label, columns, rows }: DetailsTableProps) {
  const styles = useStyles();
  return (
    <div className={styles.tableWrap}>
      <Table size="small" className={styles.table} aria-label={label}>
        <TableHeader>
          <TableRow>
            {columns.map((column, i) => (
              <TableHeaderCell key={column} className={i === 0 ? styles.mainColumn : undefined}>
                {column}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.key}>
              {row.cells.map((cell, i) => (
                <TableCell key={columns[i]} className={styles.cell}>
                  {cell}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
