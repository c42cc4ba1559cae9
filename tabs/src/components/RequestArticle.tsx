import { Card, makeStyles, tokens } from '@fluentui/react-components';
import { useId, type ReactNode } from 'react';
import { UserText } from './UserText.js';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalS },
  header: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  title: {
    margin: 0,
    fontSize: tokens.fontSizeBase400,
    lineHeight: tokens.lineHeightBase400,
    fontWeight: tokens.fontWeightSemibold,
  },
});

interface RequestArticleProps {
  /** The API's ID (`data-request-id`), for code and tests. */
  requestId: string;
  /** The ID people know from Apono's UI: the card's title. */
  displayId: string;
  /** Before the ID (the selection checkbox). */
  leading?: ReactNode;
  /** After the ID on the same line: status badges, how long it has waited. */
  badges: ReactNode;
  children: ReactNode;
}

/** One request as a card titled by its ID, in the pending list and in the history alike. */
export function RequestArticle({ requestId, displayId, leading, badges, children }: RequestArticleProps) {
  const styles = useStyles();
  const titleId = useId();
  return (
    <Card className={styles.card} role="article" aria-labelledby={titleId} data-request-id={requestId}>
      <div className={styles.header}>
        {leading}
        <h3 className={styles.title} id={titleId}>
          <UserText text={displayId} />
        </h3>
        {badges}
      </div>
      {children}
    </Card>
  );
}
