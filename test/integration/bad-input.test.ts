import { EndorseError } from '@hyperledger/fabric-gateway';
import fc from 'fast-check';
import { hostileArgument } from '../../chaincode/common/testing/bad-input';
import { parseChaincodeMessage } from '../../gateway-sdk/src';
import { closeConnections, connectAs, describedTransactions, testProfile } from '../support/network';

/**
 * Hostile input through the real gateway and peers: for every transaction in each chaincode's own contract
 * metadata (as any Fabric tool reads it), generated arguments must come back as a result or as a coded
 * rejection at endorsement (never ordered, so nothing written), and the peers must keep answering afterwards.
 */
const PER_TRANSACTION = Number(process.env.EDGETRUST_FUZZ_NETWORK_RUNS ?? 50);
const IN_FLIGHT = 8;
const CHAINCODES = ['evidence', 'resource-billing', 'device-identity'] as const;

afterAll(closeConnections);

describe('the real network under hostile input', () => {
    it.each(CHAINCODES)(`%s: ${String(PER_TRANSACTION)} generated inputs per transaction, coded rejections only, peers still healthy`, async (chaincode) => {
        const connections = [await connectAs('EdgeOrg'), await connectAs('CloudOrg')];
        const contracts = connections.map((c) => c.gateway.getNetwork(testProfile().channel).getContract(chaincode));
        const transactions = await describedTransactions(contracts[0]!);
        expect(transactions.length).toBeGreaterThan(10);

        const figures = { inputs: 0, accepted: 0, coded: 0, uncoded: [] as string[] };
        const cases = transactions.flatMap((t) =>
            fc.sample(fc.array(hostileArgument, { minLength: t.parameters, maxLength: t.parameters }), { numRuns: PER_TRANSACTION, seed: 20261201 }).map((args, i) => ({ t, args, i })),
        );
        let next = 0;
        const worker = async (): Promise<void> => {
            for (let c = cases[next++]; c !== undefined; c = cases[next++]) {
                const contract = contracts[c.i % contracts.length]!;
                figures.inputs++;
                try {
                    await (c.t.submit ? contract.submitTransaction(c.t.qualified, ...c.args) : contract.evaluateTransaction(c.t.qualified, ...c.args));
                    figures.accepted++;
                } catch (err) {
                    const texts = err instanceof EndorseError || (err instanceof Error && 'details' in err)
                        ? [...(err as EndorseError).details.map((d) => d.message), (err as Error).message]
                        : [String(err)];
                    const coded = texts.map(parseChaincodeMessage).find((p) => p !== undefined);
                    // A submit refused with a code was refused at endorsement: it was never ordered, so it wrote nothing.
                    if (coded && (!c.t.submit || err instanceof EndorseError)) {
                        figures.coded++;
                    } else if (figures.uncoded.length < 5) {
                        figures.uncoded.push(`${c.t.qualified}: ${texts.join(' | ').slice(0, 300)}`);
                    } else {
                        figures.uncoded.push('…');
                    }
                }
            }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
        console.log(`${chaincode}: ${String(transactions.length)} transactions, ${String(figures.inputs)} inputs, ${String(figures.accepted)} accepted, ${String(figures.coded)} coded rejections, ${String(figures.uncoded.length)} other`);

        expect(figures.uncoded).toEqual([]);
        expect(figures.inputs).toBe(transactions.length * PER_TRANSACTION);
        // Every peer the two organisations' gateways use still endorses.
        for (const contract of contracts) {
            await expect(contract.evaluateTransaction('org.hyperledger.fabric:GetMetadata')).resolves.toBeInstanceOf(Uint8Array);
        }
    }, 600_000);
});
