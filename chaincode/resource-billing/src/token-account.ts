import { optionalText, requireIdentifier } from '../../common/src';
import { requireObject, requireP256PublicKey } from './billing-inputs';
import type { EscrowPurpose, OpenAccountRequest } from '../../schemas/src';

export function validateOpenAccount(value: unknown): OpenAccountRequest {
    const request = requireObject<OpenAccountRequest>(value, 'request');
    const taskKey = optionalText(request.taskKey, 'taskKey', 1024);
    return {
        accountId: requireIdentifier(request.accountId, 'accountId'),
        ...(taskKey === undefined ? {} : { taskKey: requireP256PublicKey(taskKey, 'taskKey') }),
    };
}

export function escrowIdOf(purpose: EscrowPurpose, referenceId: string): string {
    return `${purpose}:${referenceId}`;
}
