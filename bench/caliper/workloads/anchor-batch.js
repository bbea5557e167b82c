'use strict';
// evidence AnchorBatch: one Merkle root per transaction standing for `items` digests (default 1000), as the SDK's
// batcher sends it; building the tree is client work and not part of the transaction.
const { Workload, sha256 } = require('./common');

class AnchorBatch extends Workload {
    async submitTransaction() {
        const root = sha256(this.nextId());
        const metadata = { name: `caliper batch ${this.count}`, source: { type: 'app', id: 'caliper-batcher' }, tags: ['bench'] };
        await this.send('evidence', 'AnchorBatch', [root, String(this.args.items ?? 1000), JSON.stringify(metadata)]);
    }
}

module.exports.createWorkloadModule = () => new AnchorBatch();
