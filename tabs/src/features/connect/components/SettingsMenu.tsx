import {
  Button,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Tooltip,
} from '@fluentui/react-components';
import { PlugDisconnectedRegular, SettingsRegular, SignOutRegular } from '@fluentui/react-icons';
import { useWords } from '../../../lib/i18n.js';
import type { Me } from '../api/connection.js';

interface SettingsMenuProps {
  me: Me;
  onDisconnect: () => void;
  /** Present only where the app can sign out by itself (the sandbox); Teams owns sign-in otherwise. */
  onSignOut?: () => void;
  /** Open at once: the shell loads this menu when its placeholder button is first pressed. */
  defaultOpen?: boolean;
}

export function SettingsMenu({ me, onDisconnect, onSignOut, defaultOpen }: SettingsMenuProps) {
  const { t } = useWords();
  const apono = me.connection.aponoUser;
  const method = me.connection.method;
  return (
    <Menu defaultOpen={defaultOpen}>
      <MenuTrigger disableButtonEnhancement>
        <Tooltip content={t('shell.settings')} relationship="label">
          <Button appearance="subtle" icon={<SettingsRegular />} />
        </Tooltip>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuGroup>
            <MenuGroupHeader>
              {me.user.name}
              {apono
                ? method
                  ? t('settings.aponoVia', { email: apono.email, method: t(`settings.methods.${method}`) })
                  : t('settings.apono', { email: apono.email })
                : ''}
            </MenuGroupHeader>
            <MenuItem icon={<PlugDisconnectedRegular />} onClick={onDisconnect}>
              {t('settings.disconnect')}
            </MenuItem>
            {onSignOut && (
              <>
                <MenuDivider />
                <MenuItem icon={<SignOutRegular />} onClick={onSignOut}>
                  {t('settings.signOut')}
                </MenuItem>
              </>
            )}
          </MenuGroup>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
