import { formatFigures, fuzzTransactions, nonTextParameters } from '../../common/testing/bad-input';
import { identities } from '../../common/testing/memory-ledger';
import { contracts } from '.';

const RUNS = Number(process.env.EDGETRUST_FUZZ_RUNS ?? 250);

describe('device-identity chaincode under hostile input', () => {
    it(`answers ${String(RUNS)} generated inputs per transaction with a result or a coded rejection, writing nothing when it rejects`, async () => {
        const figures = await fuzzTransactions({ title: 'device-identity', contracts, identities: Object.values(identities), runs: RUNS });
        console.log(formatFigures(figures));
        expect(figures.length).toBeGreaterThan(10);
        expect(figures.filter((f) => f.crashes > 0)).toEqual([]);
        expect(figures.filter((f) => f.writesByRejected > 0)).toEqual([]);
        expect(figures.every((f) => f.inputs === RUNS)).toBe(true);
    }, 600_000);

    it('declares every transaction parameter as text, so the contract, not the framework, refuses a bad one', () => {
        expect(nonTextParameters(contracts, 'device-identity')).toEqual([]);
    });
});
