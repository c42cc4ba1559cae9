import { Text } from '@fluentui/react-components';
import { CenteredPage } from '../../../components/CenteredPage.js';

/** Production mode opened in a plain browser tab: identity comes from Teams, so say where to go. */
export function OutsideTeams() {
  return (
    <CenteredPage title="Open Apono Approvals in Microsoft Teams" label="Open in Microsoft Teams">
      <Text>
        This app runs inside Microsoft Teams, which signs you in. In Teams, open Apps, find “Apono Approvals”,
        and select its Approvals tab. If you cannot find it, ask your Teams administrator to add the app for
        you.
      </Text>
    </CenteredPage>
  );
}
