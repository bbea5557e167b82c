import { alreadyApproved, retry } from './lifecycle';

describe('deploy retries', () => {
    it('reads Fabric\'s refusal of a repeated approval as approved, and nothing else', () => {
        const refusal = new Error(
            'peer lifecycle chaincode approveformyorg … failed:\nError: proposal failed with status: 500 - failed to invoke backing implementation of ' +
                "'ApproveChaincodeDefinitionForMyOrg': attempted to redefine uncommitted sequence (4) for namespace resource-billing with unchanged content",
        );
        expect(alreadyApproved(refusal)).toBe(true);
        expect(alreadyApproved(new Error("attempted to redefine the current committed sequence (3) for namespace resource-billing with different parameters"))).toBe(false);
        expect(alreadyApproved(new Error('proposal failed with status: 500 - timeout expired while executing transaction'))).toBe(false);
    });

    it('tells each failed attempt before trying again and gives up after the last', async () => {
        const seen: number[] = [];
        let calls = 0;
        await expect(
            retry(
                () => {
                    calls++;
                    return Promise.reject(new Error(`attempt ${String(calls)}`));
                },
                3,
                1,
                (_err, attempt) => seen.push(attempt),
            ),
        ).rejects.toThrow('attempt 3');
        expect(seen).toEqual([1, 2]);
        expect(calls).toBe(3);
    });
});
