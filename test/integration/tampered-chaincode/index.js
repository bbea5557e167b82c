'use strict';
/* global __dirname, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports -- a chaincode module for fabric-chaincode-node, CommonJS like the chaincodes' builds */
// Attack tests only (test/integration/attack-tampered-peer.test.ts): what an organisation can run for its own
// peers. It serves the real contract (so everything else keeps working), accepts any proposal time, and adds one
// transaction that writes whatever it is told, with no access check, no key-level policy and no time check.
// Fabric's validation, not this code, has to stop its writes to other organisations' keys.
const { join } = require('node:path');
const { Context, Transaction } = require('fabric-contract-api');
require('reflect-metadata');

const chaincode = process.env.EDGETRUST_TAMPERED_CHAINCODE ?? 'evidence';
const honest = require(join(__dirname, '..', '..', '..', 'chaincode', chaincode));
const [Honest] = honest.contracts;
// A dishonest organisation's peer takes any proposal time for its own records (a hundred years either way).
require(join(__dirname, '..', '..', '..', 'chaincode', chaincode, 'dist', 'common', 'src', 'peer-clock.js')).setClock(undefined, 100 * 365 * 86400);

class Tampered extends Honest {
    /**
     * writesJson: [{ key, value? (utf8), delete?: true, collection? }]: public or private writes, applied as given.
     * @returns {Promise<string>}
     */
    async TamperWrite(ctx, writesJson) {
        for (const write of JSON.parse(writesJson)) {
            if (write.collection) {
                await ctx.stub.putPrivateData(write.collection, write.key, Buffer.from(write.value));
            } else if (write.delete) {
                await ctx.stub.deleteState(write.key);
            } else {
                await ctx.stub.putState(write.key, Buffer.from(write.value));
            }
        }
        return 'written';
    }
}
// Plain JavaScript emits no parameter types; the decorator needs them to accept the argument.
Reflect.defineMetadata('design:paramtypes', [Context, String], Tampered.prototype, 'TamperWrite');
Transaction()(Tampered.prototype, 'TamperWrite');

module.exports.contracts = [Tampered];
