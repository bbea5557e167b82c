// Analysis only: what a transaction carries, per chaincode function, read from a peer's block file (no network needed).
// Usage: node bench/analysis/tx-size.mjs <peer data>/production/ledgersData/chains/chains/<channel>/blockfile_000000
// Prints per function: transactions, mean envelope bytes and of it the proposal input, the read-write set (with keys
// written, key-level policies written and keys read), the chaincode event and the response payload.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import protos from '@hyperledger/fabric-protos';

const { common, peer, ledger } = protos;
const file = process.argv[2];
if (!file) {
    console.error('usage: node bench/analysis/tx-size.mjs <blockfile>');
    process.exit(2);
}
const bytes = readFileSync(file);

/**
 * Fabric's block files hold, per block, a varint length and then the block in the block store's own layout
 * (common/ledger/blkstorage/block_serialization.go): varint number, length-prefixed data hash and previous hash,
 * a varint count of transactions each length-prefixed, then the metadata. Yields each block's envelopes.
 */
function* blocks() {
    let offset = 0;
    const varint = () => {
        let value = 0;
        let shift = 0;
        let b;
        do {
            b = bytes[offset++];
            value += (b & 0x7f) * 2 ** shift;
            shift += 7;
        } while (b & 0x80);
        return value;
    };
    const raw = () => {
        const length = varint();
        offset += length;
        return bytes.subarray(offset - length, offset);
    };
    while (offset < bytes.length) {
        const end = varint() + offset;
        varint(); // block number
        raw(); // data hash
        raw(); // previous hash
        const count = varint();
        yield Array.from({ length: count }, raw);
        offset = end;
    }
}

const stats = new Map();
for (const block of blocks()) {
    for (const raw of block) {
        const envelope = common.Envelope.deserializeBinary(raw);
        const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
        const header = common.ChannelHeader.deserializeBinary(payload.getHeader().getChannelHeader_asU8());
        if (header.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
            continue;
        }
        const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
        for (const action of tx.getActionsList()) {
            const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
            const proposal = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
            const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec();
            const args = spec.getInput().getArgsList_asU8();
            const name = `${spec.getChaincodeId().getName()} ${Buffer.from(args[0] ?? []).toString()}`;
            const endorsed = actionPayload.getAction();
            const response = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
            const cc = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
            const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(cc.getResults_asU8());
            let writes = 0;
            let policies = 0;
            let reads = 0;
            for (const ns of rwset.getNsRwsetList()) {
                const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
                writes += kv.getWritesList().length;
                policies += kv.getMetadataWritesList().length;
                reads += kv.getReadsList().length;
            }
            const s = stats.get(name) ?? { n: 0, envelope: 0, input: 0, rwset: 0, event: 0, response: 0, writes: 0, policies: 0, reads: 0, endorsements: 0 };
            s.n += 1;
            s.envelope += raw.length;
            s.input += proposal.getInput_asU8().length;
            s.rwset += cc.getResults_asU8().length;
            s.event += cc.getEvents_asU8().length;
            s.response += cc.getResponse()?.getPayload_asU8().length ?? 0;
            s.writes += writes;
            s.policies += policies;
            s.reads += reads;
            s.endorsements += endorsed.getEndorsementsList().length;
            stats.set(name, s);
        }
    }
}
const mean = (s, k) => (s[k] / s.n).toFixed(s[k] / s.n >= 10 ? 0 : 1);
console.log('function | transactions | envelope bytes | input | read-write set | keys written | key-level policies | keys read | event | response payload | endorsements');
console.log('---|---|---|---|---|---|---|---|---|---|---');
for (const [name, s] of [...stats].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`${name} | ${s.n} | ${mean(s, 'envelope')} | ${mean(s, 'input')} | ${mean(s, 'rwset')} | ${mean(s, 'writes')} | ${mean(s, 'policies')} | ${mean(s, 'reads')} | ${mean(s, 'event')} | ${mean(s, 'response')} | ${mean(s, 'endorsements')}`);
}
