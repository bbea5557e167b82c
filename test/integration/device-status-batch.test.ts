import type { Contract } from '@hyperledger/fabric-gateway';
import { makeCertificate } from '../../chaincode/device-identity/testing/certificates';
import { type CertificateStatusReport, DeviceIdentityClient, InvalidArgumentError, MAX_STATUS_CHECKS, toEdgeTrustError } from '../../gateway-sdk/src';
import { type DeviceIdentityActor, deviceIdentityAs, deviceIdentityChaincode, keyOf } from '../support/device-identity';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(120_000);

// CheckCertificates on the real network, and the SDK coalescing concurrent status checks into it.

/** The device identity contract of `actor`'s channel, counting the queries sent through it. */
function countingContract(actor: DeviceIdentityActor): { contract: Contract; queries: string[] } {
    const contract = actor.network.getContract(deviceIdentityChaincode());
    const queries: string[] = [];
    const counted = new Proxy(contract, {
        get(target, property, receiver): unknown {
            if (property === 'evaluate') {
                return (name: string, options: Parameters<Contract['evaluate']>[1]) => {
                    queries.push(name);
                    return target.evaluate(name, options);
                };
            }
            return Reflect.get(target, property, receiver) as unknown;
        },
    });
    return { contract: counted, queries };
}

const untimed = ({ checkedAt: _at, ...rest }: CertificateStatusReport): Omit<CertificateStatusReport, 'checkedAt'> => rest;

describe('certificate status checks in one query, on the real network', () => {
    let owner: DeviceIdentityActor; // EdgeOrg User1: registers and owns the applications
    let checker: DeviceIdentityActor; // CloudOrg User1: asks, through CloudOrg's peer
    const run = uniqueId('batch');
    const active = makeCertificate({ commonName: `${run}-a` });
    const held = makeCertificate({ commonName: `${run}-h` });
    const unknown = makeCertificate({ commonName: `${run}-u` }).fingerprint;
    let asked: string[];

    beforeAll(async () => {
        [owner, checker] = await Promise.all([deviceIdentityAs('EdgeOrg'), deviceIdentityAs('CloudOrg')]);
        await owner.client.registerApplication({ id: `${run}-a`, certificatePem: active.pem }, keyOf(active.pem));
        await owner.client.registerApplication({ id: `${run}-h`, certificatePem: held.pem }, keyOf(held.pem));
        const { blockNumber } = await owner.client.suspendCertificate(`${run}-h`, 'maintenance');
        // CloudOrg's peer answers the checks: wait until it has the suspension's block.
        await checker.network.getBlockEvents({ startBlock: blockNumber }).then(async (events) => {
            try {
                await events[Symbol.asyncIterator]().next();
            } finally {
                events.close();
            }
        });
        asked = [active.fingerprint, held.fingerprint, unknown, active.fingerprint];
    });

    afterAll(() => closeConnections());

    it('answers each fingerprint as CheckCertificate does, in the order asked, at one transaction time', async () => {
        const { reports } = await checker.client.checkCertificates(asked);
        const single = new DeviceIdentityClient(checker.network.getContract(deviceIdentityChaincode()), { statusBatching: false });
        const singles = [];
        for (const fingerprint of asked) {
            singles.push(await single.checkCertificate(fingerprint));
        }
        expect(reports.map(untimed)).toEqual(singles.map(untimed));
        expect(reports.map((r) => [r.status, r.trusted, r.id])).toEqual([
            ['active', true, `${run}-a`],
            ['suspended', false, `${run}-h`],
            ['unknown', false, undefined],
            ['active', true, `${run}-a`],
        ]);
        expect(new Set(reports.map((r) => r.checkedAt)).size).toBe(1);
    });

    it('sends concurrent checks as one CheckCertificates query, and one CheckCertificate each with batching off', async () => {
        const batched = countingContract(checker);
        const plain = countingContract(checker);
        const withBatching = new DeviceIdentityClient(batched.contract);
        const withoutBatching = new DeviceIdentityClient(plain.contract, { statusBatching: false });
        const a = await Promise.all(asked.map((fingerprint) => withBatching.checkCertificate(fingerprint)));
        const b = await Promise.all(asked.map((fingerprint) => withoutBatching.checkCertificate(fingerprint)));
        expect(batched.queries).toEqual(['CheckCertificates']);
        expect(plain.queries).toEqual(['CheckCertificate', 'CheckCertificate', 'CheckCertificate', 'CheckCertificate']);
        expect(a.map(untimed)).toEqual(b.map(untimed));
    });

    it('fails a malformed fingerprint alone, the others answered', async () => {
        const results = await Promise.allSettled([checker.client.checkCertificate(active.fingerprint), checker.client.checkCertificate('not-a-fingerprint'), checker.client.checkCertificate(held.fingerprint)]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidArgumentError);
    });

    it('refuses too many fingerprints and a malformed one with INVALID_ARGUMENT from the chaincode', async () => {
        const tooMany = Array<string>(MAX_STATUS_CHECKS + 1).fill(unknown);
        await expect(checker.client.checkCertificates(tooMany)).rejects.toMatchObject({
            code: 'INVALID_ARGUMENT',
            message: expect.stringMatching(/^INVALID_ARGUMENT: fingerprints must be an array of 1 to 200/) as unknown,
        });
        const contract = checker.network.getContract(deviceIdentityChaincode());
        const malformed = contract.evaluate('CheckCertificates', { arguments: [JSON.stringify({ fingerprints: [unknown, unknown.toUpperCase()] })] }).catch((err: unknown) => Promise.reject(toEdgeTrustError(err)));
        await expect(malformed).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^INVALID_ARGUMENT: fingerprints\[1\] must be a SHA-256 digest/) as unknown });
        const { reports } = await checker.client.checkCertificates(Array<string>(MAX_STATUS_CHECKS).fill(active.fingerprint));
        expect(reports).toHaveLength(MAX_STATUS_CHECKS);
    });
});
