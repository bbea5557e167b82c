'use strict';
// evidence Anchor: one single-record anchor, the request of the project's evidence benchmark.
const { Workload, anchorRequest } = require('./common');

class Anchor extends Workload {
    async submitTransaction() {
        await this.send('evidence', 'Anchor', [JSON.stringify(anchorRequest(this.nextId()))]);
    }
}

module.exports.createWorkloadModule = () => new Anchor();
