'use strict';
// device-identity CheckCertificate: an edge application asks the ledger whether a device certificate is trusted
// before mutual TLS (a query on EdgeOrg's gateway peer, or the round's `mspId`'s, no cache), for a device the kit
// registered beforehand.
const { Workload, fixtures } = require('./common');

class DeviceStatus extends Workload {
    async initializeWorkloadModule(...args) {
        await super.initializeWorkloadModule(...args);
        this.fingerprint = fixtures().deviceFingerprint;
    }

    async submitTransaction() {
        await this.send('device-identity', 'CheckCertificate', [this.fingerprint], { mspId: this.args.mspId ?? 'EdgeOrgMSP', readOnly: true });
    }
}

module.exports.createWorkloadModule = () => new DeviceStatus();
