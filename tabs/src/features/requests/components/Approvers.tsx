import type { ApprovalRequest, ApproverEntry } from '@apono-teams/domain/approval-request.js';
import {
  Badge,
  Caption1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { PlainList } from '../../../components/PlainList.js';
import { UserText } from '../../../components/UserText.js';
import { useNarrow } from '../../../lib/use-narrow.js';

const useStyles = makeStyles({
  table: { tableLayout: 'auto' },
  // Names may be long addresses: they break anywhere. Kinds and statuses are single words that
  // must stay whole ("grou/p"), so their columns are as wide as the word.
  name: { width: '45%', overflowWrap: 'anywhere' },
  cell: { paddingBlock: tokens.spacingVerticalXS },
  word: { whiteSpace: 'nowrap' },
  item: {
    display: 'flex',
    flexDirection: 'column',
    paddingBlock: tokens.spacingVerticalXS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  itemTop: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  itemName: { flexGrow: 1, minWidth: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const statusColor = { Approved: 'success', Rejected: 'danger', Pending: 'warning' } as const;

type Approval = NonNullable<ApprovalRequest['approval']>;

function tierText(approver: ApproverEntry): string {
  if (approver.tier == null) return '—';
  const escalated = approver.escalatedAt
    ? `, escalated ${new Date(approver.escalatedAt).toLocaleString()}`
    : '';
  return `${approver.tier}${escalated}`;
}

function StatusWord({ approver }: { approver: ApproverEntry }) {
  const styles = useStyles();
  return (
    <Badge appearance="tint" className={styles.word} color={statusColor[approver.status] ?? 'informative'}>
      {approver.status}
    </Badge>
  );
}

function Name({ approver }: { approver: ApproverEntry }) {
  return (
    <>
      <UserText text={approver.name} />
      {approver.includesViewer ? ' (you)' : ''}
    </>
  );
}

/**
 * Apono's approver entries: a table with room for kind and status, or on a phone a list (each
 * entry's name and status, its kind and tier beneath), where four columns cannot fit.
 */
export function Approvers({ approval }: { approval: Approval }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const hasTiers = approval.approvers.some((a) => a.tier != null);
  if (narrow) {
    return (
      <PlainList spacing="none" aria-label="Approvers">
        {approval.approvers.map((approver, index) => (
          <li key={`${approver.type}:${approver.name}:${index}`} className={styles.item}>
            <span className={styles.itemTop}>
              <Text className={styles.itemName} weight="semibold">
                <Name approver={approver} />
              </Text>
              <StatusWord approver={approver} />
            </span>
            <Caption1 className={styles.muted}>
              <UserText text={approver.type} />
              {hasTiers && ` · tier ${tierText(approver)}`}
            </Caption1>
          </li>
        ))}
      </PlainList>
    );
  }
  return (
    <Table size="small" className={styles.table} aria-label="Approvers">
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.name}>Approver</TableHeaderCell>
          <TableHeaderCell className={styles.word}>Kind</TableHeaderCell>
          {hasTiers && <TableHeaderCell>Tier</TableHeaderCell>}
          <TableHeaderCell className={styles.word}>Status</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {approval.approvers.map((approver, index) => (
          <TableRow key={`${approver.type}:${approver.name}:${index}`}>
            <TableCell className={mergeClasses(styles.cell, styles.name)}>
              <Name approver={approver} />
            </TableCell>
            <TableCell className={mergeClasses(styles.cell, styles.word)}>
              <UserText text={approver.type} />
            </TableCell>
            {hasTiers && <TableCell className={styles.cell}>{tierText(approver)}</TableCell>}
            <TableCell className={mergeClasses(styles.cell, styles.word)}>
              <StatusWord approver={approver} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
