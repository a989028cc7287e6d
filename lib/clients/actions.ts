'use server';

import { revalidatePath } from 'next/cache';
import { sealActionResult } from '@/lib/server/action-result';
import { assignClients } from '@/lib/assignments/assign';
import { SafeError } from '@/lib/server/errors';
import { updateSubscriptions } from '@/lib/notifications/subscriptions';
import { createAction, createScriptlessAction } from '@/lib/access/server-action';
import { listFilteredClientIds } from './queries';
import { addToGroup, findGroup } from '@/lib/groups/groups';
import { requestReceiptsAcross } from '@/lib/receipts/requests';
import type { Viewer } from '@/lib/access/visibility';
import { BULK_MAX, bulkClientsSchema, clientListQuery, parseClientListParams } from './schemas';

/**
 * The bulk bar of the Clients page: « Attribuer à… » one accountant (admins), or « Recevoir un
 * récapitulatif… » for oneself (anyone, on clients they may see; one they may not refuses all).
 */
export const bulkClientsAction = createAction({ schema: bulkClientsSchema }, async (input, user, { t }) => {
  if (input.op === 'assign' && user.role !== 'admin') throw new SafeError('errors.adminOnly');
  const clientIds = input.scope === 'filter' ? await filteredList(user, input) : input.clientIds;
  if (input.op === 'assign') {
    const added = await assignClients(user, clientIds, input.userId);
    revalidatePath('/clients');
    return { status: 'success', message: t('clients.bulkAssigned', { selected: clientIds.length, added }) };
  }
  if (input.op === 'group') {
    const group = await findGroup(user, input.groupId);
    if (!group) throw new SafeError('errors.groupNotFound');
    const added = await addToGroup(user, group.id, clientIds);
    revalidatePath('/clients');
    return { status: 'success', message: t('groups.added', { count: added, name: group.name }) };
  }
  if (input.op === 'receipts') {
    const result = await requestReceiptsAcross(user, { clientIds, formToken: input.formToken, comment: '' });
    revalidatePath('/clients');
    return {
      status: 'success',
      message: t('clients.bulkReceipts', {
        receipts: result.receipts,
        clients: result.clients,
        people: result.recipients.length,
        unreachable: result.unreachable,
      }),
    };
  }
  const changed = await updateSubscriptions(user, clientIds, input.frequency);
  revalidatePath('/clients');
  return {
    status: 'success',
    message: t('clients.bulkSubscribed', { count: changed, frequency: input.frequency }),
  };
});

/**
 * The bulk bar without JavaScript: the same action, then back to the list the user was on (its
 * state travels in the form as `liste`, a query string read like the page's own URL), with the
 * result sealed into the URL (`resultat`), where the page shows it by the form. The form posts
 * here rather than to the `useActionState` action, whose previous state React would otherwise
 * encode into hidden fields of every Clients page it renders (BENCHMARKS.md, issue 13). A reload
 * of the page it lands on shows the result again and does not act again.
 */
export const bulkClientsWithoutScriptAction = createScriptlessAction(bulkClientsAction, (state, form, user) => {
  if (!user) return '/connexion';
  const liste = form.get('liste');
  const list = parseClientListParams(Object.fromEntries(new URLSearchParams(typeof liste === 'string' ? liste : '')));
  const query = clientListQuery(list);
  query.set('resultat', sealActionResult(state, user.id));
  return `/clients?${query}`;
});

/**
 * « Tout sélectionner (n) »: the list is read again on the server, from its filter and with the
 * user's rights (never ids sent by the browser), and acted on only if it still holds the number
 * of clients the user was shown; otherwise nothing changes and the user is told.
 */
async function filteredList(
  user: Viewer,
  input: { tab?: string; q?: string; missing?: string; groupe?: string; expected?: number },
): Promise<string[]> {
  const params = parseClientListParams({ tab: input.tab, q: input.q, missing: input.missing, groupe: input.groupe });
  // A group the user does not see filters nothing: the list they were shown did not have it.
  if (params.group && !(await findGroup(user, params.group))) throw new SafeError('errors.groupNotFound');
  const ids = await listFilteredClientIds(user, params, BULK_MAX);
  if (!ids) throw new SafeError('errors.tooManyClients', { max: BULK_MAX });
  if (ids.length !== input.expected) throw new SafeError('errors.selectionChanged', { count: ids.length });
  return ids;
}
