'use strict';
// Analysis only, never deployed by the network scripts: bench/src/anchor-cost.ts runs it in place of EdgeOrg's
// baseline chaincode server (same package id) to find which part of an evidence Anchor costs the peers CPU.
// EDGETRUST_PUT_VARIANT picks what Put does, e.g. `keys=8,reads=2,sbe=1,event=1,batch=1`:
//   keys   keys written: the record plus keys-1 composite index entries shaped like Anchor's (default 1);
//   reads  keys read first in one batch, as Anchor reads its organisation's policy and the record key (default 0);
//   sbe=1  a key-level endorsement policy (the submitter's organisation) on every key written, as Anchor sets;
//   event=1 a chaincode event of an Anchor's size;
//   batch=0 one message to the peer per write and per policy instead of Fabric 3.1's write batches.
// It uses the compiled helpers of the chaincodes themselves (chaincode/baseline/dist/common), so batching,
// JSON and policies are the same code as in an Anchor.
const { Contract } = require('fabric-contract-api');
const common = require('../../../chaincode/baseline/dist/common/src');

const spec = Object.fromEntries(
    (process.env.EDGETRUST_PUT_VARIANT ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=')),
);
const KEYS = Number(spec.keys ?? 1);
const READS = Number(spec.reads ?? 0);
const SBE = spec.sbe === '1';
const EVENT = spec.event === '1';
const BATCH = spec.batch !== '0';

class BaselineVariant extends Contract {
    constructor() {
        super('baseline');
    }

    async Put(ctx, id, value) {
        const at = common.txTime(ctx);
        const record = `baseline~${id}`;
        const mspId = ctx.clientIdentity.getMSPID();
        if (READS > 0) {
            await common.getStates(ctx, [`baseline~policy~${mspId}`, record, `baseline~extra~${id}`].slice(0, READS));
        }
        const writes = [[record, Buffer.from(JSON.stringify({ at, id, value }))]];
        // Index entries like Anchor's `<family>~by-<field>` keys: [...value, day, anchoredAt, id]; one carries the
        // submitter's identity string, the longest of them.
        const values = [['device', 'bench-camera'], ['generic'], [mspId], [mspId, ctx.clientIdentity.getID()], [], ['bench'], [id.slice(0, 16)]];
        for (let i = 1; i < KEYS; i++) {
            writes.push([ctx.stub.createCompositeKey(`baseline~by-${i}`, [...values[(i - 1) % values.length], at.slice(0, 10), at, id]), common.INDEX_VALUE]);
        }
        const policy = common.peersOf([mspId]);
        if (BATCH) {
            await common.putStates(ctx, writes);
            if (SBE) {
                await common.setStateValidationParameters(ctx, writes.map(([key]) => [key, policy]));
            }
        } else {
            for (const [key, bytes] of writes) {
                await ctx.stub.putState(key, bytes);
                if (SBE) {
                    await ctx.stub.setStateValidationParameter(key, policy);
                }
            }
        }
        if (EVENT) {
            ctx.stub.setEvent('EvidenceAnchored', Buffer.from(JSON.stringify({ id, digest: '0'.repeat(64), at, mspId, source: { type: 'device', id: 'bench-camera' }, tags: ['bench'] })));
        }
    }
}

common.skipSuppressedShimLogs();
common.negotiateStateBatches();

module.exports.contracts = [BaselineVariant];
