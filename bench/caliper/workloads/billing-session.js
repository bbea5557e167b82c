'use strict';
// resource-billing session, the project's billing benchmark pair: the tenant (CloudOrg) proposes StartSession, the
// operator (EdgeOrg) accepts it, the tenant stops it; each endorsed by both organisations (AND policy). Each
// transaction Caliper asks for is the next step due: a session proposed or accepted at least `settleMs` (default
// 1000) ago moves on, else a new one is proposed. The wait lets the other organisation's gateway peer commit the
// previous step's block first (Caliper's connector has no consistency token to wait on).
const { Workload, fixtures } = require('./common');

class BillingSession extends Workload {
    async initializeWorkloadModule(...args) {
        await super.initializeWorkloadModule(...args);
        this.resourceId = fixtures().billingResourceId;
        this.settleMs = this.args.settleMs ?? 1000;
        this.proposed = [];
        this.accepted = [];
    }

    /** The oldest session of `queue` whose step settled, taken off it. */
    due(queue) {
        return queue.length > 0 && Date.now() - queue[0].at >= this.settleMs ? queue.shift().sessionId : undefined;
    }

    async submitTransaction() {
        const toStop = this.due(this.accepted);
        if (toStop) {
            await this.send('resource-billing', 'billing:StopSession', [toStop, '{}'], { mspId: 'CloudOrgMSP' });
            return;
        }
        const toAccept = this.due(this.proposed);
        if (toAccept) {
            const status = await this.send('resource-billing', 'billing:AcceptSession', [toAccept]);
            if (status.GetStatus() === 'success') {
                this.accepted.push({ sessionId: toAccept, at: Date.now() });
            }
            return;
        }
        const sessionId = this.nextId();
        // Each session bills its own application, so sessions never race for one running total (one line per app).
        const request = { sessionId, resourceId: this.resourceId, appId: `app-${sessionId}` };
        const status = await this.send('resource-billing', 'billing:StartSession', [JSON.stringify(request)], { mspId: 'CloudOrgMSP' });
        if (status.GetStatus() === 'success') {
            this.proposed.push({ sessionId, at: Date.now() });
        }
    }
}

module.exports.createWorkloadModule = () => new BillingSession();
