'use strict';
// baseline Put: one putState of a small JSON value, the yardstick every ratio divides by.
const { Workload } = require('./common');

class Put extends Workload {
    async submitTransaction() {
        const id = this.nextId();
        await this.send('baseline', 'Put', [id, JSON.stringify({ reading: this.count })]);
    }
}

module.exports.createWorkloadModule = () => new Put();
