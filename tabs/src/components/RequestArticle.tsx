import { makeStyles, tokens } from '@fluentui/react-components';
import { useId, type ReactNode } from 'react';
import { UserText } from './UserText.js';

const useStyles = makeStyles({
  // Drawn as Fluent's filled, medium, non-interactive Card is, without @fluentui/react-card (its
  // selectable and interactive variants are a thirtieth of the first load: issue 11, 5).
  card: {
    position: 'relative',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    boxSizing: 'border-box',
    padding: '12px',
    overflow: 'hidden',
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
    // A transparent border on top, as Card's: forced colours (Windows high contrast) draw it.
    '::after': {
      content: '""',
      position: 'absolute',
      inset: 0,
      pointerEvents: 'none',
      border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
      borderRadius: tokens.borderRadiusMedium,
    },
  },
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
    <div className={styles.card} role="article" aria-labelledby={titleId} data-request-id={requestId}>
      <div className={styles.header}>
        {leading}
        <h3 className={styles.title} id={titleId}>
          <UserText text={displayId} />
        </h3>
        {badges}
      </div>
      {children}
    </div>
  );
}
