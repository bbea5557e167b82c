import { type Static, Type } from '@sinclair/typebox';
import { Digest, Identifier, Text } from '../primitives';
import { SourceProof } from './capture';

/**
 * A receipt of one item anchored in a Merkle batch, as the SDK's batcher and the edge agent store it and as a client
 * sends it back to have it checked (`POST /v1/evidence/receipts/verify`). The SDK checks it offline and against the
 * ledger; the chaincode never receives it, so it is not in a transaction table.
 */
export const EvidenceReceipt = Type.Object(
    {
        algorithm: Type.Optional(Text(64, 'tree algorithm of the proof; absent in receipts written before receipts named it')),
        channel: Type.Optional(Identifier(256, 'the channel whose ledger holds the batch root')),
        chaincode: Type.Optional(Identifier(256, 'the chaincode that anchored the batch root')),
        itemDigest: Digest('SHA-256 of the item'),
        leafIndex: Type.Integer({ minimum: 0 }),
        treeSize: Type.Integer({ minimum: 1, description: "number of leaves in the batch's tree" }),
        proof: Type.Array(Digest(), { description: 'audit path, leaf to root' }),
        root: Digest('the batch root'),
        batchId: Identifier(256, 'the batch record id'),
        transactionId: Text(128, 'the transaction that anchored the batch'),
        blockNumber: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^\\d{1,20}$' })], { description: 'the block of that transaction (decimal text beyond 2^53)' }),
        sourceProof: Type.Optional(SourceProof),
    },
    { $id: 'EvidenceReceipt' },
);
export type EvidenceReceiptShape = Static<typeof EvidenceReceipt>;
