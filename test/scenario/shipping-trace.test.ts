import { type EvidenceRecord, followChaincodeEvents, type EdgeTrustEvent } from '../../gateway-sdk/src';
import { type EvidenceActor, evidenceAs, sha256 } from '../support/evidence';
import { closeConnections, testProfile, uniqueId } from '../support/network';

jest.setTimeout(120_000);

/*
 * Scenario 2 (WP 2.2.4): a shipment passes shipper → forwarder → customs → carrier. Each party records
 * its step with the digest of its document, naming the step before it; the parties belong to two
 * organisations. Off-chain systems hear of every step from chaincode events, and anyone can walk the
 * trace backwards from the last step and forwards from the first.
 */

interface Party {
    step: string;
    party: string;
    actor: EvidenceActor;
    location: string;
    document: string;
}

describe('scenario: a shipping trace across parties of two organisations, walked both ways', () => {
    afterAll(closeConnections);

    it('records every step against its predecessor, announces it, and walks the trace both ways', async () => {
        const [shipper, forwarder, customs, carrier] = await Promise.all([evidenceAs('EdgeOrg'), evidenceAs('CloudOrg'), evidenceAs('CloudOrg', 'Admin'), evidenceAs('EdgeOrg', 'Admin')]);
        const traceId = uniqueId('shipment');
        const parties: Party[] = [
            { step: 'shipped', party: 'Shenzhen Electronics Co.', actor: shipper, location: 'Shenzhen', document: 'commercial invoice CI-2231' },
            { step: 'forwarded', party: 'Pearl River Forwarding', actor: forwarder, location: 'Yantian port', document: 'bill of lading BL-88812' },
            { step: 'cleared', party: 'Yantian customs', actor: customs, location: 'Yantian port', document: 'customs declaration 5301-7781' },
            { step: 'carried', party: 'Blue Ocean Lines', actor: carrier, location: 'vessel BO Aurora', document: 'cargo manifest BOA-0419' },
        ];

        // An alerting system follows the chaincode's events from before the first step.
        const profile = testProfile();
        const alerts: EdgeTrustEvent<EvidenceRecord>[] = [];
        const controller = new AbortController();
        const { blockNumber: startBlock } = await shipper.client.anchor({ id: `${traceId}/opened`, digest: sha256(traceId), name: 'shipment opened', size: 0, source: { type: 'org', id: 'shipper' } });
        const following = followChaincodeEvents<EvidenceRecord>({ network: forwarder.network, chaincode: profile.chaincodes.evidence ?? 'evidence', startBlock, signal: controller.signal }, (event) => {
            if (event.name === 'ProcessStepRecorded' && event.payload.attributes.traceId === traceId) {
                alerts.push(event);
                if (alerts.length === parties.length) {
                    controller.abort();
                }
            }
            return Promise.resolve();
        });
        const timeout = setTimeout(() => controller.abort(), 60_000);

        const ids: string[] = [];
        for (const [i, p] of parties.entries()) {
            const predecessorId = ids[i - 1];
            const { result } = await p.actor.client.anchor({
                id: `${traceId}/${p.step}`,
                kind: 'process-step',
                digest: sha256(p.document),
                name: p.document,
                size: Buffer.byteLength(p.document),
                mediaType: 'application/pdf',
                source: { type: 'org', id: p.party.replace(/[^A-Za-z0-9]/g, '-') },
                tags: ['shipping'],
                attributes: { traceId, step: p.step, party: p.party, location: p.location, occurredAt: `2026-03-0${String(i + 1)}T08:00:00Z`, ...(predecessorId ? { predecessorId } : {}) },
            });
            ids.push(result.id);
        }
        await following;
        clearTimeout(timeout);

        // Every step was announced, in order, by the organisation that recorded it.
        expect(alerts.map((a) => [a.payload.id, a.payload.submitterMspId])).toEqual([
            [ids[0], 'EdgeOrgMSP'],
            [ids[1], 'CloudOrgMSP'],
            [ids[2], 'CloudOrgMSP'],
            [ids[3], 'EdgeOrgMSP'],
        ]);

        // Backwards from the carrier (e.g. the consignee asking where the goods have been) ...
        const backward = await shipper.client.traceBackward(ids[3]!);
        expect(backward).toMatchObject({ traceId, complete: true });
        expect(backward.steps.map((s) => [s.attributes.step, s.attributes.party, s.submitterMspId])).toEqual(parties.map((p) => [p.step, p.party, p.actor.mspId]));
        // ... and forwards from the shipper (e.g. the shipper asking where the goods went).
        const forward = await carrier.client.traceForward(ids[0]!);
        expect(forward).toMatchObject({ traceId, complete: true });
        expect(forward.steps.map((s) => s.id)).toEqual(ids);
        // From the middle, each way gives its half.
        expect((await customs.client.traceBackward(ids[1]!)).steps.map((s) => s.id)).toEqual(ids.slice(0, 2));
        expect((await customs.client.traceForward(ids[2]!)).steps.map((s) => s.id)).toEqual(ids.slice(2));

        // The documents verify against the steps, and a forged manifest does not.
        await expect(forwarder.client.verify(ids[3]!, sha256('cargo manifest BOA-0419'))).resolves.toMatchObject({ outcome: 'match', anchoredByMspId: 'EdgeOrgMSP' });
        await expect(forwarder.client.verify(ids[3]!, sha256('cargo manifest BOA-0420'))).resolves.toMatchObject({ outcome: 'mismatch' });

        // A step that names a predecessor of another trace, or one never recorded, is refused.
        const stray = { id: `${traceId}/stray`, kind: 'process-step' as const, digest: sha256('x'), name: 'x', size: 1, source: { type: 'org' as const, id: 'x' } };
        await expect(carrier.client.anchor({ ...stray, attributes: { traceId: `${traceId}-other`, step: 'stray', party: 'x', predecessorId: ids[3] } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        await expect(carrier.client.anchor({ ...stray, attributes: { traceId, step: 'stray', party: 'x', predecessorId: `${traceId}/lost` } })).rejects.toMatchObject({ code: 'PREDECESSOR_NOT_FOUND' });
        expect((await shipper.client.traceForward(ids[0]!)).steps).toHaveLength(4);
    });
});
