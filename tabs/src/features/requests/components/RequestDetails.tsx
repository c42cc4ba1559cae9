import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { formatDuration, formatWaited } from '@apono-teams/domain/format.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import {
  Badge,
  Button,
  DrawerBody,
  DrawerFooter,
  DrawerHeader,
  DrawerHeaderTitle,
  OverlayDrawer,
  Skeleton,
  SkeletonItem,
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
import { CheckmarkRegular, DismissRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { ErrorBar } from '../../../components/ErrorBar.js';
import { useResource } from '../../../lib/use-resource.js';
import { getRequest } from '../api/requests.js';
import { pageOf } from '../utils/paging.js';
import { relationText } from '../utils/summaries.js';

export const unitsPerPage = 20;

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  justification: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  tableWrap: { overflowX: 'auto' },
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  footer: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

const statusColor = { Approved: 'success', Rejected: 'danger', Pending: 'warning' } as const;

interface RequestDetailsProps {
  requestId: string;
  onClose: () => void;
  onDecide: (request: ApprovalRequest, decision: Decision, opener: HTMLElement) => void;
}

function useNarrow(): boolean {
  const query = '(max-width: 640px)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return narrow;
}

/** Everything about one request: every access unit (paged), the approval state, the full justification. */
export default function RequestDetails({ requestId, onClose, onDecide }: RequestDetailsProps) {
  const styles = useStyles();
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
              aria-label="Close details"
              icon={<DismissRegular />}
              onClick={onClose}
            />
          }
        >
          Request {requestId}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        {details.error !== undefined && (
          <ErrorBar title="Could not load this request" error={details.error} onRetry={details.reload} />
        )}
        {!request && details.loading && (
          <Skeleton aria-label="Loading request details">
            <SkeletonItem size={24} />
            <SkeletonItem size={96} />
            <SkeletonItem size={128} />
          </Skeleton>
        )}
        {request && <DetailsContent request={request} />}
      </DrawerBody>
      {request?.viewer.canDecide && (
        <DrawerFooter className={styles.footer}>
          <Button
            appearance="primary"
            icon={<CheckmarkRegular />}
            onClick={(e) => onDecide(request, 'approve', e.currentTarget)}
          >
            Approve
          </Button>
          <Button icon={<DismissRegular />} onClick={(e) => onDecide(request, 'reject', e.currentTarget)}>
            Reject
          </Button>
        </DrawerFooter>
      )}
    </OverlayDrawer>
  );
}

function DetailsContent({ request }: { request: ApprovalRequest }) {
  const styles = useStyles();
  const [page, setPage] = useState(1);
  const units = pageOf(request.accessUnits, page, unitsPerPage);
  const approval = request.approval;

  return (
    <>
      <section className={styles.section} aria-labelledby="details-summary">
        <h3 className={styles.heading} id="details-summary">
          Summary
        </h3>
        <dl className={styles.facts}>
          <dt className={styles.term}>Status</dt>
          <dd className={styles.value}>
            <Badge appearance="tint" color={request.status === 'PENDING' ? 'warning' : 'informative'}>
              {request.status}
            </Badge>
          </dd>
          <dt className={styles.term}>Requester</dt>
          <dd className={styles.value}>
            {request.requester.name} ({request.requester.email})
          </dd>
          {request.grantee && (
            <>
              <dt className={styles.term}>Access for</dt>
              <dd className={styles.value}>{request.grantee.name}</dd>
            </>
          )}
          <dt className={styles.term}>Access flow</dt>
          <dd className={styles.value}>{request.accessFlow ?? 'Not named'}</dd>
          <dt className={styles.term}>Reason needed</dt>
          <dd className={styles.value}>{request.requireReason ? 'Yes, to approve or reject' : 'No'}</dd>
          <dt className={styles.term}>Duration</dt>
          <dd className={styles.value}>{formatDuration(request.durationSeconds)}</dd>
          <dt className={styles.term}>Requested</dt>
          <dd className={styles.value}>
            {new Date(request.createdAt).toLocaleString()} ({formatWaited(request.createdAt)} ago)
          </dd>
          <dt className={styles.term}>Why you</dt>
          <dd className={styles.value}>{request.viewer.approverReasons.join('; ') || '—'}</dd>
        </dl>
      </section>

      <section className={styles.section} aria-labelledby="details-justification">
        <h3 className={styles.heading} id="details-justification">
          Justification
        </h3>
        <Text className={styles.justification} data-testid="full-justification">
          {request.justification || 'No justification given.'}
        </Text>
      </section>

      <section className={styles.section} aria-labelledby="details-approval">
        <h3 className={styles.heading} id="details-approval">
          Approval
        </h3>
        {approval ? (
          <>
            <Text>
              {relationText(approval.relation)}
              {approval.currentTier != null ? `. Current escalation tier: ${approval.currentTier}.` : '.'}
            </Text>
            <div className={styles.tableWrap}>
              <Table size="small" aria-label="Approvers">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Approver</TableHeaderCell>
                    <TableHeaderCell>Kind</TableHeaderCell>
                    <TableHeaderCell>Tier</TableHeaderCell>
                    <TableHeaderCell>Status</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {approval.approvers.map((approver, index) => (
                    <TableRow key={`${approver.type}:${approver.name}:${index}`}>
                      <TableCell>
                        {approver.name}
                        {approver.includesViewer ? ' (you)' : ''}
                      </TableCell>
                      <TableCell>{approver.type}</TableCell>
                      <TableCell>
                        {approver.tier ?? '—'}
                        {approver.escalatedAt
                          ? `, escalated ${new Date(approver.escalatedAt).toLocaleString()}`
                          : ''}
                      </TableCell>
                      <TableCell>
                        <Badge appearance="tint" color={statusColor[approver.status]}>
                          {approver.status}
                        </Badge>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          </>
        ) : (
          <Text>Apono did not report approvers for this request.</Text>
        )}
      </section>

      <section className={styles.section} aria-labelledby="details-access">
        <h3 className={styles.heading} id="details-access">
          Access ({request.totalResources} resource{request.totalResources === 1 ? '' : 's'},{' '}
          {request.totalPermissions} permission{request.totalPermissions === 1 ? '' : 's'})
        </h3>
        <div className={styles.tableWrap}>
          <Table size="small" aria-label="Resources and permissions">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Resource</TableHeaderCell>
                <TableHeaderCell>Integration</TableHeaderCell>
                <TableHeaderCell>Permission</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {units.items.map((unit, index) => (
                <TableRow key={`${units.first + index}`}>
                  <TableCell>
                    {unit.resource}
                    {unit.resourceType ? ` (${unit.resourceType})` : ''}
                    {unit.resourcePath && unit.resourcePath !== unit.resource
                      ? ` · ${unit.resourcePath}`
                      : ''}
                  </TableCell>
                  <TableCell>{unit.integration ?? '—'}</TableCell>
                  <TableCell>{unit.permission}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
        {units.pageCount > 1 && (
          <nav className={styles.pager} aria-label="Access pages">
            <Button size="small" disabledFocusable={units.page <= 1} onClick={() => setPage(units.page - 1)}>
              Previous
            </Button>
            <Text aria-live="polite">
              {units.first}–{units.last} of {request.accessUnits.length} (page {units.page} of{' '}
              {units.pageCount})
            </Text>
            <Button
              size="small"
              disabledFocusable={units.page >= units.pageCount}
              onClick={() => setPage(units.page + 1)}
            >
              Next
            </Button>
          </nav>
        )}
      </section>
    </>
  );
}
