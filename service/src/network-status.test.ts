import { common, msp, peer } from '@hyperledger/fabric-protos';
import { isConsolePath } from './console-static';
import { blockRate, summarizeBlock } from './network-status';

const identity = (mspId: string): Uint8Array => {
    const id = new msp.SerializedIdentity();
    id.setMspid(mspId);
    return id.serializeBinary();
};

/** A block with one endorser transaction of `chaincode`, created by `creator` and endorsed by `endorsers`. */
function blockWith(number: number, txId: string, creator: string, endorsers: string[], chaincode: string, validation: number): common.Block {
    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
    channelHeader.setTxId(txId);
    const signatureHeader = new common.SignatureHeader();
    signatureHeader.setCreator(identity(creator));
    const header = new common.Header();
    header.setChannelHeader(channelHeader.serializeBinary());
    header.setSignatureHeader(signatureHeader.serializeBinary());

    const spec = new peer.ChaincodeSpec();
    const ccId = new peer.ChaincodeID();
    ccId.setName(chaincode);
    spec.setChaincodeId(ccId);
    const invocation = new peer.ChaincodeInvocationSpec();
    invocation.setChaincodeSpec(spec);
    const proposalPayload = new peer.ChaincodeProposalPayload();
    proposalPayload.setInput(invocation.serializeBinary());
    const endorsed = new peer.ChaincodeEndorsedAction();
    endorsed.setEndorsementsList(
        endorsers.map((m) => {
            const e = new peer.Endorsement();
            e.setEndorser(identity(m));
            return e;
        }),
    );
    const actionPayload = new peer.ChaincodeActionPayload();
    actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
    actionPayload.setAction(endorsed);
    const action = new peer.TransactionAction();
    action.setPayload(actionPayload.serializeBinary());
    const transaction = new peer.Transaction();
    transaction.setActionsList([action]);

    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(transaction.serializeBinary());
    const envelope = new common.Envelope();
    envelope.setPayload(payload.serializeBinary());

    const block = new common.Block();
    const blockHeader = new common.BlockHeader();
    blockHeader.setNumber(number);
    block.setHeader(blockHeader);
    const data = new common.BlockData();
    data.setDataList([envelope.serializeBinary()]);
    block.setData(data);
    const metadata = new common.BlockMetadata();
    const lists: Uint8Array[] = [new Uint8Array(), new Uint8Array(), new Uint8Array(), new Uint8Array(), new Uint8Array()];
    lists[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.of(validation);
    metadata.setMetadataList(lists);
    block.setMetadata(metadata);
    return block;
}

describe('network status', () => {
    it('lists a block’s transactions with creator, chaincode, endorsing organisations and validation code', () => {
        const summary = summarizeBlock(blockWith(7, 'tx-1', 'CloudOrgMSP', ['EdgeOrgMSP', 'CloudOrgMSP'], 'resource-billing', peer.TxValidationCode.VALID));
        expect(summary).toEqual({
            number: '7',
            transactions: [{ transactionId: 'tx-1', type: 'ENDORSER_TRANSACTION', creatorMspId: 'CloudOrgMSP', chaincode: 'resource-billing', endorserMspIds: ['EdgeOrgMSP', 'CloudOrgMSP'], validationCode: 'VALID' }],
        });
        expect(summarizeBlock(blockWith(8, 'tx-2', 'EdgeOrgMSP', ['EdgeOrgMSP'], 'evidence', peer.TxValidationCode.MVCC_READ_CONFLICT)).transactions[0]?.validationCode).toBe('MVCC_READ_CONFLICT');
    });

    it('gives the block rate per minute between the oldest and newest timestamped block', () => {
        const at = (n: number, t: string): { number: string; timestamp: string; transactions: [] } => ({ number: String(n), timestamp: t, transactions: [] });
        expect(blockRate([at(20, '2026-12-01T10:01:00Z'), at(10, '2026-12-01T10:00:00Z')])).toBe(10);
        expect(blockRate([at(10, '2026-12-01T10:00:00Z')])).toBeUndefined();
        expect(blockRate([at(11, '2026-12-01T10:00:00Z'), at(10, '2026-12-01T10:00:00Z')])).toBeUndefined();
    });

    it('makes only the console’s own files public', () => {
        expect(['/', '/index.html', '/assets/index-abc.js'].every(isConsolePath)).toBe(true);
        expect(['/v1/network/status', '/assets', '/openapi.json', '/v1/evidence/records'].some(isConsolePath)).toBe(false);
    });
});
