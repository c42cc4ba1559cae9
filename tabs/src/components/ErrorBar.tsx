import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { displayText } from '@apono-teams/domain/display-text.js';
import { errorMessage } from '../lib/api-client.js';

interface ErrorBarProps {
  title: string;
  error: unknown;
  onRetry?: () => void;
}

/** A failure the person can act on: the server's sentence and, when it helps, a retry. */
export function ErrorBar({ title, error, onRetry }: ErrorBarProps) {
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {displayText(errorMessage(error))}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
