'use strict';
// evidence Verify: a CloudOrg application checks a digest against a record EdgeOrg anchored (a query on CloudOrg's
// gateway peer). The records are anchored while the round is prepared, so they are not counted.
const { Workload, anchorRequest } = require('./common');

class Verify extends Workload {
    async initializeWorkloadModule(...args) {
        await super.initializeWorkloadModule(...args);
        this.records = [];
        for (let i = 0; i < (this.args.records ?? 20); i++) {
            const request = anchorRequest(this.nextId());
            await this.send('evidence', 'Anchor', [JSON.stringify(request)]);
            this.records.push(request);
        }
        // Let CloudOrg's peer commit the last block before the round reads from it.
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    async submitTransaction() {
        this.count += 1;
        const { id, digest } = this.records[this.count % this.records.length];
        await this.send('evidence', 'Verify', [id, digest], { mspId: 'CloudOrgMSP', readOnly: true });
    }
}

module.exports.createWorkloadModule = () => new Verify();
