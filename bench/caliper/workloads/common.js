'use strict';
// Shared by the EdgeTrust Caliper workloads. They implement Caliper's workload interface (initializeWorkloadModule,
// submitTransaction, cleanupWorkloadModule) without extending caliper-core's WorkloadModuleBase, so they load from
// this folder whatever node_modules Caliper was installed into.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** The records the kit made before Caliper started (bench/src/support/caliper-kit.ts). */
function fixtures() {
    const dir = process.env.EDGETRUST_CALIPER_WORK ?? join(__dirname, '..', '.caliper', 'work');
    return JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8'));
}

class Workload {
    async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter) {
        this.workerIndex = workerIndex;
        this.roundIndex = roundIndex;
        this.args = roundArguments ?? {};
        this.sut = sutAdapter;
        this.count = 0;
        // Unique per run, worker and round, so rounds and reruns never write the same keys.
        this.prefix = `caliper-${process.pid}-${Date.now().toString(36)}-w${workerIndex}-r${roundIndex}`;
    }

    /** The next unique id of this worker's round. */
    nextId() {
        this.count += 1;
        return `${this.prefix}-${this.count}`;
    }

    /** One transaction as `mspId`'s User1; readOnly evaluates on the gateway peer. */
    send(contractId, contractFunction, contractArguments, { mspId = 'EdgeOrgMSP', readOnly = false } = {}) {
        return this.sut.sendRequests({ contractId, contractFunction, contractArguments, invokerMspId: mspId, invokerIdentity: 'User1', readOnly });
    }

    async submitTransaction() {
        throw new Error('a workload defines submitTransaction');
    }

    async cleanupWorkloadModule() {}
}

/** The single-record anchor the project's evidence benchmark sends (digest, metadata, a source and a tag). */
function anchorRequest(id) {
    return { id, digest: sha256(id), name: `${id}.mp4`, size: 1_048_576, mediaType: 'video/mp4', source: { type: 'device', id: 'bench-camera' }, tags: ['bench'] };
}

module.exports = { Workload, anchorRequest, fixtures, sha256 };
