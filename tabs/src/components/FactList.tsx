import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(7rem, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    // One column on a phone: each label sits above its value, and pairs are set apart.
    '@media (max-width: 480px)': { gridTemplateColumns: '1fr', rowGap: 0 },
  },
  term: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  value: {
    margin: 0,
    minWidth: 0,
    overflowWrap: 'anywhere',
    '@media (max-width: 480px)': { marginBlockEnd: tokens.spacingVerticalS },
  },
  preformatted: { whiteSpace: 'pre-wrap' },
});

/** Labelled facts about a request (requester, resources, duration…), two columns, one on a phone. */
export function FactList({ children }: { children: ReactNode }) {
  return <dl className={useStyles().list}>{children}</dl>;
}

interface FactProps {
  term: ReactNode;
  children: ReactNode;
  /** Keep the value's own line breaks (text typed by a person). */
  preformatted?: boolean;
}

export function Fact({ term, children, preformatted }: FactProps) {
  const styles = useStyles();
  return (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={mergeClasses(styles.value, preformatted && styles.preformatted)}>{children}</dd>
    </>
  );
}
