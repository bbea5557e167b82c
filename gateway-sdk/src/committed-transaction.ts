import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';

/** What the ledger says about one committed transaction. */
export interface CommittedTransaction {
    transactionId: string;
    blockNumber: bigint;
    /** Fabric's validation code name, `VALID` when the transaction's writes took effect. */
    validationCode: string;
    /** MSP ids of the peers whose endorsements are in the transaction, in order. */
    endorserMspIds: string[];
}

const VALIDATION_CODE_NAMES = Object.fromEntries(Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name])) as Record<number, string>;

/**
 * Finds a transaction in a block and reads its validation code and endorsers, e.g. to show an auditor that
 * a billing record was endorsed by both the platform's and the application's organisation.
 */
export function findCommittedTransaction(block: common.Block, transactionId: string): CommittedTransaction | undefined {
    const envelopes = block.getData()?.getDataList_asU8() ?? [];
    const flags = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
    for (const [index, bytes] of envelopes.entries()) {
        const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
        if (transactionIdOf(payload) !== transactionId) {
            continue;
        }
        const endorserMspIds = endorsers(peer.Transaction.deserializeBinary(payload.getData_asU8()));
        const code = flags[index] ?? peer.TxValidationCode.INVALID_OTHER_REASON;
        return {
            transactionId,
            blockNumber: BigInt(block.getHeader()?.getNumber() ?? 0),
            validationCode: VALIDATION_CODE_NAMES[code] ?? String(code),
            endorserMspIds,
        };
    }
    return undefined;
}

/** The MSP ids of the endorsers in a prepared transaction (what fabric-gateway's Transaction.getBytes() returns). */
export function endorsingMspIdsOf(preparedTransaction: Uint8Array): string[] {
    const envelope = gateway.PreparedTransaction.deserializeBinary(preparedTransaction).getEnvelope();
    if (!envelope) {
        return [];
    }
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    return endorsers(peer.Transaction.deserializeBinary(payload.getData_asU8()));
}

function endorsers(transaction: peer.Transaction): string[] {
    return transaction.getActionsList().flatMap((action) => {
        const endorsements = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction()?.getEndorsementsList() ?? [];
        return endorsements.map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid());
    });
}

function transactionIdOf(payload: common.Payload): string {
    return common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array()).getTxId();
}
