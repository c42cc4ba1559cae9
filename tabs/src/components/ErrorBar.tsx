import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { displayText } from '@apono-teams/domain/display-text.js';
import { useErrorText } from '../lib/error-words.js';
import { useWords } from '../lib/i18n.js';

interface ErrorBarProps {
  title: string;
  error: unknown;
  onRetry?: () => void;
}

/** A failure the person can act on: the server's sentence and, when it helps, a retry. */
export function ErrorBar({ title, error, onRetry }: ErrorBarProps) {
  const { t } = useWords();
  const errorText = useErrorText();
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {displayText(errorText(error))}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>{t('tryAgain')}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
