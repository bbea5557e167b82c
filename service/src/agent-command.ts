import { connect, EvidenceClient, loadNetworkProfile } from '@edgetrust/gateway-sdk';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EvidenceAgent } from './agent';

const HELP = `usage: edgetrust agent watch <folder> [--org EdgeOrg] [--user User1] [--stable-ms 2000] [--batch 500] [--network-dir DIR]

Watches <folder>: every file, once complete (size and time unchanged for --stable-ms), is hashed and anchored in a
Merkle batch; its receipt is written beside it (<file>.edgetrust-receipt.json). Restarted, it neither re-anchors
nor skips a file. Verify a file later against its receipt: drop both on the console's Evidence page, or
POST /v1/evidence/receipts/verify, or EvidenceClient.verifyReceipt.`;

/** `edgetrust agent watch <folder>`: runs until SIGINT/SIGTERM, one line per hashed file and anchored batch. */
export async function agentCommand(argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: { org: { type: 'string' }, user: { type: 'string' }, 'stable-ms': { type: 'string' }, batch: { type: 'string' }, 'network-dir': { type: 'string' }, help: { type: 'boolean' } },
    });
    const [command, folder] = positionals;
    if (values.help || command !== 'watch' || folder === undefined) {
        console.log(HELP);
        return values.help ? 0 : 2;
    }
    const networkDir = resolve(values['network-dir'] ?? process.env.EDGETRUST_NETWORK_DIR ?? join('.edgetrust', 'network'));
    const profile = loadNetworkProfile(join(networkDir, 'connection.json'));
    const user = values.user ?? 'User1';
    const connection = await connect({ profile, organization: values.org ?? 'EdgeOrg', user });
    const chaincode = profile.chaincodes.evidence ?? 'evidence';
    const agent = new EvidenceAgent({
        folder: resolve(folder),
        evidence: new EvidenceClient(connection.gateway.getNetwork(profile.channel).getContract(chaincode), { mspId: connection.mspId }),
        channel: profile.channel,
        chaincode,
        stableMs: Number(values['stable-ms'] ?? 2000),
        maxBatch: Number(values.batch ?? 500),
        onEvent: (event): void => {
            console.log(JSON.stringify(event));
        },
    });
    agent.start();
    console.log(JSON.stringify({ type: 'watching', folder: resolve(folder), as: `${user}@${connection.mspId}` }));
    await new Promise<void>((done) => {
        const stop = (): void => {
            void agent.stop().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
    });
    connection.close();
    return 0;
}
