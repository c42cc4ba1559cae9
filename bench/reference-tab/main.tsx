// The weight reference of issue 11, 5: the least a Teams tab built on the same stack loads at
// start (a Fluent DataGrid, a Dialog with a Field, and teams-js), built by `npm run bench` in the
// same run as the tab and compared with the tab's initial JavaScript. Not shipped anywhere.
import {
  Button,
  DataGrid,
  DataGridBody,
  DataGridCell,
  DataGridHeader,
  DataGridHeaderCell,
  DataGridRow,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  FluentProvider,
  Input,
  createTableColumn,
  teamsLightTheme,
} from '@fluentui/react-components';
import { app } from '@microsoft/teams-js';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

interface Row {
  id: string;
  requester: string;
}

const rows: Row[] = [
  { id: 'AR-1', requester: 'Megan Bowen' },
  { id: 'AR-2', requester: 'Lynne Robbins' },
];
const columns = [
  createTableColumn<Row>({ columnId: 'id', renderHeaderCell: () => 'ID', renderCell: (r) => r.id }),
  createTableColumn<Row>({
    columnId: 'requester',
    renderHeaderCell: () => 'Requester',
    renderCell: (r) => r.requester,
  }),
];

function Reference() {
  const [context, setContext] = useState('');
  useEffect(() => {
    if (window.self !== window.top)
      void app.initialize().then(() => app.getContext().then((c) => setContext(c.app.locale)));
  }, []);
  return (
    <FluentProvider theme={teamsLightTheme}>
      <p>{context}</p>
      <DataGrid items={rows} columns={columns} getRowId={(r: Row) => r.id}>
        <DataGridHeader>
          <DataGridRow>
            {({ renderHeaderCell }) => <DataGridHeaderCell>{renderHeaderCell()}</DataGridHeaderCell>}
          </DataGridRow>
        </DataGridHeader>
        <DataGridBody<Row>>
          {({ item, rowId }) => (
            <DataGridRow<Row> key={rowId}>
              {({ renderCell }) => <DataGridCell>{renderCell(item)}</DataGridCell>}
            </DataGridRow>
          )}
        </DataGridBody>
      </DataGrid>
      <Dialog>
        <DialogTrigger disableButtonEnhancement>
          <Button>Approve</Button>
        </DialogTrigger>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Approve</DialogTitle>
            <DialogContent>
              <Field label="Reason">
                <Input />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary">Approve</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </FluentProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Reference />
  </StrictMode>,
);
