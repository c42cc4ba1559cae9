import type { ApprovalRequest, ApproverEntry } from '@apono-teams/domain/approval-request.js';
import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { UserText } from '../../../components/UserText.js';
import { useNarrow } from '../../../lib/use-narrow.js';
import { useWords, type Words } from '../../../lib/i18n.js';

const useStyles = makeStyles({
  table: { tableLayout: 'auto' },
  // Names may be long addresses: they break anywhere. Kinds and statuses are single words that
  // must stay whole ("grou/p"), so their columns are as wide as the word.
  name: { width: '45%', overflowWrap: 'anywhere' },
  cell: { paddingBlock: tokens.spacingVerticalXS },
  word: { whiteSpace: 'nowrap' },
  // On a phone four columns cannot fit: each row is a block, its name and status on the first
  // line, its kind and tier beneath. Still a table to assistive technology (explicit roles).
  hiddenHeader: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
  stacked: { display: 'block' },
  stackedRow: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr auto',
    gridTemplateAreas: '"name name status" "kind tier tier"',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'center',
    paddingBlock: tokens.spacingVerticalXS,
  },
  stackedCell: { display: 'block', height: 'auto', minHeight: 0, padding: 0 },
  stackedName: { gridArea: 'name', fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  stackedStatus: { gridArea: 'status' },
  stackedKind: { gridArea: 'kind', color: tokens.colorNeutralForeground3 },
  stackedTier: { gridArea: 'tier', color: tokens.colorNeutralForeground3 },
});

const statusColor = { Approved: 'success', Rejected: 'danger', Pending: 'warning' } as const;

type Approval = NonNullable<ApprovalRequest['approval']>;

function tierText(approver: ApproverEntry, narrow: boolean, { t, f }: Words): string {
  if (approver.tier == null) return '—';
  const tier = f.count(approver.tier);
  const key = `approvers.tier${narrow ? 'Named' : 'Plain'}${approver.escalatedAt ? 'Escalated' : ''}`;
  return t(key, { tier, date: approver.escalatedAt ? f.dateTime(approver.escalatedAt) : '' });
}

/** Apono's approver entries: a table with room for kind and status; stacked rows on a phone. */
export function Approvers({ approval }: { approval: Approval }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const words = useWords();
  const { t } = words;
  const hasTiers = approval.approvers.some((a) => a.tier != null);
  const cell = (wide: string | undefined, stacked: string) =>
    mergeClasses(styles.cell, narrow ? mergeClasses(styles.stackedCell, stacked) : wide);
  return (
    <Table
      size="small"
      role="table"
      className={mergeClasses(styles.table, narrow && styles.stacked)}
      aria-label={t('approvers.label')}
    >
      <TableHeader role="rowgroup" className={narrow ? styles.hiddenHeader : undefined}>
        <TableRow role="row">
          <TableHeaderCell role="columnheader" className={styles.name}>
            {t('approvers.approver')}
          </TableHeaderCell>
          <TableHeaderCell role="columnheader" className={styles.word}>
            {t('approvers.kind')}
          </TableHeaderCell>
          {hasTiers && <TableHeaderCell role="columnheader">{t('approvers.tier')}</TableHeaderCell>}
          <TableHeaderCell role="columnheader" className={styles.word}>
            {t('approvers.status')}
          </TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody role="rowgroup" className={narrow ? styles.stacked : undefined}>
        {approval.approvers.map((approver, index) => (
          <TableRow
            key={`${approver.type}:${approver.name}:${index}`}
            role="row"
            className={narrow ? styles.stackedRow : undefined}
          >
            <TableCell role="cell" className={cell(styles.name, styles.stackedName)}>
              <UserText text={approver.name} />
              {approver.includesViewer ? t('approvers.you') : ''}
            </TableCell>
            <TableCell role="cell" className={cell(styles.word, styles.stackedKind)}>
              <UserText text={approver.type} />
            </TableCell>
            {hasTiers && (
              <TableCell role="cell" className={cell(undefined, styles.stackedTier)}>
                {tierText(approver, narrow, words)}
              </TableCell>
            )}
            <TableCell role="cell" className={cell(styles.word, styles.stackedStatus)}>
              <Badge
                appearance="tint"
                className={styles.word}
                color={statusColor[approver.status] ?? 'informative'}
              >
                {t(`approvers.statuses.${approver.status}`, { defaultValue: approver.status })}
              </Badge>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
