import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381';
import { BillingClient, ComputeExchangeClient, connect, ConsistencySession, EdgeTrustError, loadNetworkProfile, signComputeOrder } from '@edgetrust/gateway-sdk';
import { verifyAggregateAttestation } from '@edgetrust/resource-billing-chaincode/dist/resource-billing/src/bls-attestation';
import { ATTESTATION_DST, attestationMessage } from '@edgetrust/schemas';
import { networkFromEnv } from '@edgetrust/test-network-scripts';
import { runConcurrently } from './stats';

/**
 * Compute exchange benchmark (issue 16), two parts in one run:
 *  1. NETWORK: tasks matched and settled per second: SubmitTask (signature check, match, escrow, reservation),
 *     AcceptTask, SubmitResult, AcceptResult (four transactions per task). BENCH_LANES > 1 runs lanes of different
 *     kinds side by side; they still conflict on the payer's account and on the provider's stats key, which every
 *     settlement of that provider writes (docs/compute-exchange.md), so the default is one lane.
 *  2. CHAINCODE CODE, in this process: the chaincode's own aggregate BLS check of k signatures
 *     (bls-attestation.ts, one pairing check after adding k public keys) against k ECDSA P-256 verifications.
 * Usage: node bench/dist/compute.js  (env: BENCH_TASKS=24, BENCH_LANES=1, BENCH_K=2,3,8,16, BENCH_REPEAT=10)
 */
const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const run = `${String(process.pid)}-${Date.now().toString(36)}`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const KINDS = ['gpu', 'fpga', 'compute', 'storage'] as const;

async function network(): Promise<void> {
    const tasks = Number(env('BENCH_TASKS', '24'));
    const lanes = Math.min(KINDS.length, Number(env('BENCH_LANES', '1')));
    const profile = loadNetworkProfile(networkFromEnv().paths.connectionProfile);
    const session = new ConsistencySession();
    const [edge, cloud] = [await connect({ profile, organization: 'EdgeOrg', consistency: { session } }), await connect({ profile, organization: 'CloudOrg', consistency: { session } })];
    const contract = (c: typeof edge): ReturnType<ReturnType<typeof edge.gateway.getNetwork>['getContract']> => c.gateway.getNetwork(profile.channel).getContract(profile.chaincodes['resource-billing'] ?? 'resource-billing');
    const [operator, tenant] = [new BillingClient(contract(edge)), new BillingClient(contract(cloud))];
    const [provider, requester] = [new ComputeExchangeClient(contract(edge)), new ComputeExchangeClient(contract(cloud))];
    const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const [payee, wallet, siteId] = [`bench-${run}-payee`, `bench-${run}-wallet`, `bench-${run}-site`];
    await operator.openAccount(payee);
    await tenant.openAccount(wallet, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await operator.mint(wallet, tasks * 100);
    await operator.registerSite({ siteId, name: 'bench compute', location: 'edge-site-a' });
    for (const kind of KINDS.slice(0, lanes)) {
        const resourceId = `bench-${run}-${kind}`;
        await operator.registerResource({ resourceId, siteId, kind, name: `bench ${kind}`, payeeAccountId: payee, plan: { unit: 'second', rate: 1, cycle: 'minute' } });
        await provider.publishOffer({ offerId: `bench-${run}-offer-${kind}`, resourceId, capacity: tasks, pricePerUnit: 5, tier: 'edge', latencyClass: 'low' });
    }
    const failures = new Map<string, number>();
    let settled = 0;
    const elapsed = await runConcurrently(tasks, lanes, async (i) => {
        const taskId = `bench-${run}-t${String(i)}`;
        const kind = KINDS[i % lanes] ?? 'gpu';
        try {
            await requester.submitTask(signComputeOrder({ taskId, accountId: wallet, kind, units: 1, maxPricePerUnit: 10, deadline: new Date(Date.now() + 600_000).toISOString(), inputDigest: sha256(taskId) }, keys.privateKey));
            await provider.acceptTask(taskId);
            await provider.submitResult(taskId, { resultDigest: sha256(`result ${taskId}`) });
            await requester.acceptResult(taskId);
            settled += 1;
        } catch (err) {
            const code = err instanceof EdgeTrustError ? err.code : String(err);
            failures.set(code, (failures.get(code) ?? 0) + 1);
        }
    });
    console.log(`NETWORK tasks matched and settled: ${String(settled)}/${String(tasks)} in ${(elapsed / 1000).toFixed(1)} s = ${((settled * 1000) / elapsed).toFixed(2)} tasks/s (${String(lanes)} lanes, 4 transactions each)`);
    if (failures.size > 0) {
        console.log(`NETWORK failures: ${JSON.stringify(Object.fromEntries(failures))}`);
    }
    edge.close();
    cloud.close();
}

function verification(): void {
    const repeat = Number(env('BENCH_REPEAT', '10'));
    const bls = bls12_381.longSignatures;
    const taskId = `bench-${run}`;
    const digest = sha256('result');
    const message = bls.hash(new TextEncoder().encode(attestationMessage(taskId, digest)), ATTESTATION_DST);
    console.log('CHAINCODE CODE k signatures over one result digest: BLS aggregate (one check) vs k ECDSA P-256 checks');
    for (const k of env('BENCH_K', '2,3,8,16').split(',').map(Number)) {
        const secrets = Array.from({ length: k }, () => bls12_381.utils.randomSecretKey());
        const publicKeys = secrets.map((s) => bls.getPublicKey(s).toHex(true));
        const aggregate = bls.Signature.toHex(bls.aggregateSignatures(secrets.map((s) => bls.sign(message, s))));
        const ecdsa = Array.from({ length: k }, () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
        const text = Buffer.from(attestationMessage(taskId, digest));
        const ecdsaSignatures = ecdsa.map((pair) => sign('sha256', text, pair.privateKey));
        let started = performance.now();
        for (let r = 0; r < repeat; r++) {
            if (!verifyAggregateAttestation(taskId, digest, publicKeys, aggregate)) {
                throw new Error('BLS aggregate did not verify');
            }
        }
        const blsMillis = (performance.now() - started) / repeat;
        started = performance.now();
        for (let r = 0; r < repeat; r++) {
            if (!ecdsa.every((pair, i) => verify('sha256', text, pair.publicKey, ecdsaSignatures[i] ?? Buffer.alloc(0)))) {
                throw new Error('ECDSA did not verify');
            }
        }
        const ecdsaMillis = (performance.now() - started) / repeat;
        console.log(`  k=${String(k).padStart(2)}  BLS aggregate ${blsMillis.toFixed(2).padStart(8)} ms  ${String(k)}×ECDSA ${ecdsaMillis.toFixed(3).padStart(7)} ms  ratio ${(blsMillis / ecdsaMillis).toFixed(1)}  (signature bytes: BLS 96, ECDSA ~${String(72 * k)})`);
    }
}

async function main(): Promise<void> {
    const parts = env('BENCH_PARTS', 'network,verify').split(',');
    if (parts.includes('verify')) {
        verification();
    }
    if (parts.includes('network')) {
        await network();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
