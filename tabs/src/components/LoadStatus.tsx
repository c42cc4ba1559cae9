import {
  Skeleton,
  SkeletonItem,
  makeStyles,
  tokens,
  type SkeletonItemProps,
} from '@fluentui/react-components';
import { ErrorBar } from './ErrorBar.js';

const useStyles = makeStyles({
  skeleton: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

interface LoadStatusProps {
  /** True once there is something to show; the placeholders are for the first load only. */
  loaded: boolean;
  loading: boolean;
  error: unknown;
  errorTitle: string;
  onRetry: () => void;
  /** What is loading, for screen readers ("Loading requests"). */
  loadingLabel: string;
  /** The heights of the grey blocks that stand in for the content. */
  placeholders: ReadonlyArray<NonNullable<SkeletonItemProps['size']>>;
}

/** What a screen shows while its data is not there: a failure with a retry, or placeholders. */
export function LoadStatus({
  loaded,
  loading,
  error,
  errorTitle,
  onRetry,
  loadingLabel,
  placeholders,
}: LoadStatusProps) {
  const styles = useStyles();
  return (
    <>
      {error !== undefined && <ErrorBar title={errorTitle} error={error} onRetry={onRetry} />}
      {!loaded && loading && (
        <Skeleton className={styles.skeleton} aria-label={loadingLabel}>
          {placeholders.map((size, i) => (
            <SkeletonItem key={i} size={size} />
          ))}
        </Skeleton>
      )}
    </>
  );
}
