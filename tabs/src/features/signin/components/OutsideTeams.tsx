import { Text } from '@fluentui/react-components';
import { CenteredPage } from '../../../components/CenteredPage.js';
import { useWords } from '../../../lib/i18n.js';

/** Production mode opened in a plain browser tab: identity comes from Teams, so say where to go. */
export function OutsideTeams() {
  const { t } = useWords();
  return (
    <CenteredPage title={t('outside.title')} label={t('outside.label')}>
      <Text>{t('outside.body')}</Text>
    </CenteredPage>
  );
}
