// Apono's webhook as a test sends it: the documented body of an AccessRequestCreated delivery
// (docs.apono.io, "Webhook Payload Schema Reference") with Alex as the one user approver.
export interface CreatedDelivery {
  /** data.id: Apono's own ID of the request. */
  id: string;
  friendlyId: string;
  flowName: string;
}

/** POSTs it to `baseUrl`'s webhook with the secret; the answer's status. */
export async function sendCreated(baseUrl: string, secret: string, delivery: CreatedDelivery) {
  const res = await fetch(`${baseUrl}/api/apono/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({
      event_type: 'AccessRequestCreated',
      event_time: '1796263265.851898000',
      data: {
        id: delivery.id,
        friendly_id: delivery.friendlyId,
        access_flow: { id: 'f', name: delivery.flowName },
        approvals: [
          { name: 'Alex Wilber', type: 'user', status: 'Pending', approver: { email: 'alexw@example.com' } },
        ],
      },
    }),
  });
  return res.status;
}
