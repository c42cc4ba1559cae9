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
import type { Me } from '../api/connection.js';

interface SettingsMenuProps {
  me: Me;
  onDisconnect: () => void;
  /** Present only where the app can sign out by itself (the sandbox); Teams owns sign-in otherwise. */
  onSignOut?: () => void;
}

const methodLabel = { token: 'personal API token', oauth: 'Apono sign-in', sandbox: 'sandbox' } as const;

export function SettingsMenu({ me, onDisconnect, onSignOut }: SettingsMenuProps) {
  const apono = me.connection.aponoUser;
  const how = me.connection.method ? ` (${methodLabel[me.connection.method]})` : '';
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Tooltip content="Settings" relationship="label">
          <Button appearance="subtle" icon={<SettingsRegular />} />
        </Tooltip>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuGroup>
            <MenuGroupHeader>
              {me.user.name}
              {apono ? ` · Apono: ${apono.email}${how}` : ''}
            </MenuGroupHeader>
            <MenuItem icon={<PlugDisconnectedRegular />} onClick={onDisconnect}>
              Disconnect Apono account
            </MenuItem>
            {onSignOut && (
              <>
                <MenuDivider />
                <MenuItem icon={<SignOutRegular />} onClick={onSignOut}>
                  Sign out of the sandbox
                </MenuItem>
              </>
            )}
          </MenuGroup>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
