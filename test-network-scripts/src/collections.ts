import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DeployedChaincode, type Network, readConsortiumState } from './topology';

/** A collection as `peer lifecycle chaincode … --collections-config` reads it. */
export interface CollectionConfig {
    name: string;
    policy: string;
    requiredPeerCount: number;
    maxPeerCount: number;
    blockToLive: number;
    memberOnlyRead: boolean;
    memberOnlyWrite: boolean;
    endorsementPolicy: { signaturePolicy: string };
}

/**
 * The pair collections of a chaincode (docs/security/confidentiality.md) from its governance roles, which include the
 * roles of organisations that joined later: one per (first role × second role) pair of different organisations,
 * readable by the pair and every reader-role organisation (the auditor), written only with both parties' peers
 * (collection endorsement policy), and kept on a second peer before an endorsement returns (requiredPeerCount 1)
 * where the pair has one, so that one crashed peer cannot leave a hash nobody can resolve. An organisation that joins
 * with a reader role becomes a member in the next definition and its peer fetches earlier records by reconciliation.
 */
export function pairCollections(network: Network, chaincode: DeployedChaincode): CollectionConfig[] {
    const spec = chaincode.pairCollections;
    const roles = chaincode.governance?.roles ?? {};
    if (spec === undefined) {
        return [];
    }
    const holding = (role: string): { name: string; mspId: string; peers: number }[] =>
        network.organizations.filter((org) => roles[org.name]?.includes(role)).map((org) => ({ name: org.name, mspId: org.mspId, peers: org.peers.length }));
    const [first, second] = spec.between;
    const readers = (spec.readers ?? []).flatMap(holding);
    const collections: CollectionConfig[] = [];
    for (const a of holding(first)) {
        for (const b of holding(second).filter((org) => org.name !== a.name)) {
            const members = [...new Set([a.mspId, b.mspId, ...readers.map((r) => r.mspId)])];
            collections.push({
                name: `${spec.prefix}_${a.mspId}_${b.mspId}`,
                policy: `OR(${members.map((m) => `'${m}.member'`).join(',')})`,
                requiredPeerCount: a.peers + b.peers > 1 ? 1 : 0,
                maxPeerCount: 3,
                blockToLive: 0,
                memberOnlyRead: true,
                memberOnlyWrite: true,
                endorsementPolicy: { signaturePolicy: `AND('${a.mspId}.peer','${b.mspId}.peer')` },
            });
        }
    }
    return collections;
}

/**
 * The owner collections of a chaincode (token accounts, docs/security/confidentiality.md): one `<prefix>_<MSP>` per
 * organisation of the network, members the owner and every reader-role organisation (the auditor).
 * Others append credit notes to it (memberOnlyWrite false), but every write needs the owner's peer and the
 * chaincode's own policy (collection endorsement policy), so neither the owner nor a payer writes an account alone:
 * the other organisations' peers check a debit's disclosed account against its hash. An organisation that joins
 * later gets its collection in the next definition.
 */
export function ownerCollections(network: Network, chaincode: DeployedChaincode): CollectionConfig[] {
    const spec = chaincode.ownerCollections;
    const roles = chaincode.governance?.roles ?? {};
    if (spec === undefined) {
        return [];
    }
    const readers = network.organizations.filter((org) => (spec.readers ?? []).some((role) => roles[org.name]?.includes(role)));
    // Fabric refuses a definition that drops a collection: an organisation that left keeps its (then idle) one.
    const departed = (readConsortiumState(network.dir)?.joined ?? []).filter((org) => org.removed === true && !network.organizations.some((o) => o.mspId === org.mspId));
    return [...network.organizations, ...departed].map((owner) => {
        const members = [owner, ...readers.filter((r) => r.name !== owner.name)];
        return {
            name: `${spec.prefix}_${owner.mspId}`,
            policy: `OR(${members.map((m) => `'${m.mspId}.member'`).join(',')})`,
            requiredPeerCount: members.reduce((sum, m) => sum + m.peers.length, 0) > 1 ? 1 : 0,
            maxPeerCount: 3,
            blockToLive: 0,
            memberOnlyRead: true,
            memberOnlyWrite: false,
            endorsementPolicy: { signaturePolicy: ownerAndChaincodePolicy(owner.mspId, chaincode.endorsementPolicy) },
        };
    });
}

/**
 * The owner's peer and the chaincode's policy. Fabric uses each signature for one principal only, so
 * AND('A.peer', AND('A.peer','B.peer')) would need two peers of A: a policy that is an AND naming the owner's peer
 * already requires it and is kept as it is.
 */
function ownerAndChaincodePolicy(ownerMspId: string, chaincodePolicy: string): string {
    const principals = /^AND\((.*)\)$/.exec(chaincodePolicy.replace(/\s+/g, ''))?.[1]?.split(',');
    return principals?.includes(`'${ownerMspId}.peer'`) ? chaincodePolicy : `AND('${ownerMspId}.peer',${chaincodePolicy})`;
}

/** Every generated collection of a chaincode: pair collections, then owner collections. */
export function generatedCollections(network: Network, chaincode: DeployedChaincode): CollectionConfig[] {
    return [...pairCollections(network, chaincode), ...ownerCollections(network, chaincode)];
}

/** Writes the chaincode's generated collections to the network's config folder; undefined when it has none. */
export function writePairCollections(network: Network, chaincode: DeployedChaincode): string | undefined {
    const collections = generatedCollections(network, chaincode);
    if (collections.length === 0) {
        return undefined;
    }
    const dir = join(network.paths.config, 'collections');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${chaincode.name}.json`);
    writeFileSync(file, `${JSON.stringify(collections, null, 2)}\n`);
    return file;
}
