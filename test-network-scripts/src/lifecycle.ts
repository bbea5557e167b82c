import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FabricInstallation } from './binaries';
import { writePairCollections } from './collections';
import { ordererTlsCa, peerAdminEnv } from './nodes';
import { type ChaincodeServer, channelBlock, type DeployedChaincode, type Network, type Organization, REPO_ROOT } from './topology';

const run = promisify(execFile);

/** Runs a Fabric CLI command; on failure the error carries the command's own output. */
export async function fabricCli(fabric: FabricInstallation, command: string, args: string[], env: Record<string, string>): Promise<string> {
    try {
        const { stdout, stderr } = await run(join(fabric.binDir, command), args, {
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
            maxBuffer: 16 * 1024 * 1024,
        });
        return stdout + stderr;
    } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        throw new Error(`${command} ${args.join(' ')} failed:\n${(e.stderr ?? '') + (e.stdout ?? '') || e.message}`);
    }
}

export function ordererArgs(network: Network): string[] {
    const orderer = network.orderers[0];
    if (!orderer) {
        throw new Error('the topology has no orderer');
    }
    return ['-o', `${orderer.address}:${String(orderer.port)}`, '--ordererTLSHostnameOverride', orderer.host, '--tls', '--cafile', ordererTlsCa(network)];
}

/** Joins every orderer (osnadmin) and every peer (peer channel join) to every channel, skipping those already joined. */
export async function joinChannel(network: Network, fabric: FabricInstallation, log: (line: string) => void): Promise<void> {
    for (const { name } of network.channels) {
        await joinOne(network, fabric, name, log);
    }
}

async function joinOne(network: Network, fabric: FabricInstallation, channel: string, log: (line: string) => void): Promise<void> {
    const block = channelBlock(network, channel);
    for (const orderer of network.orderers) {
        const tls = join(orderer.cryptoDir, 'tls');
        const adminArgs = ['--ca-file', join(tls, 'ca.crt'), '--client-cert', join(tls, 'server.crt'), '--client-key', join(tls, 'server.key')];
        const endpoint = `${orderer.address}:${String(orderer.adminPort)}`;
        const list = await fabricCli(fabric, 'osnadmin', ['channel', 'list', '-o', endpoint, ...adminArgs], {});
        if (list.includes(`"name": "${channel}"`)) {
            continue;
        }
        await fabricCli(fabric, 'osnadmin', ['channel', 'join', '--channelID', channel, '--config-block', block, '-o', endpoint, ...adminArgs], {});
        log(`${orderer.host} joined channel ${channel}`);
    }
    for (const org of network.organizations) {
        for (const peer of org.peers) {
            const env = peerAdminEnv(fabric, org, peer);
            const joined = await fabricCli(fabric, 'peer', ['channel', 'list'], env);
            if (joined.split('\n').includes(channel)) {
                continue;
            }
            await retry(() => fabricCli(fabric, 'peer', ['channel', 'join', '-b', block], env), 10, 1000);
            log(`${peer.host} joined channel ${channel}`);
        }
    }
}

/**
 * Writes the chaincode-as-a-service package of one server: metadata.json plus code.tar.gz holding connection.json.
 * Per-organisation servers get one package each: same label, another address, so another package id.
 */
export async function packageChaincode(network: Network, chaincode: DeployedChaincode, server: ChaincodeServer): Promise<string> {
    mkdirSync(network.paths.chaincodePackages, { recursive: true });
    const file = server.packageFile;
    if (existsSync(file)) {
        return file;
    }
    const work = mkdtempSync(join(tmpdir(), `ccaas-${chaincode.name}-`));
    try {
        const connection = { address: `${server.address}:${String(server.port)}`, dial_timeout: '10s', tls_required: false };
        writeFileSync(join(work, 'connection.json'), JSON.stringify(connection));
        writeFileSync(join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label: chaincode.name }));
        await run('tar', ['-C', work, '-czf', join(work, 'code.tar.gz'), 'connection.json']);
        await run('tar', ['-C', work, '-czf', file, 'metadata.json', 'code.tar.gz']);
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
    return file;
}

/** Fabric's package id: the label and the SHA-256 of the package file. */
export function packageId(file: string, label: string): string {
    return `${label}:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

/** The chaincode's collections: generated pair collections (collections.ts), else its package's collections.json. */
export function collectionsConfig(network: Network, chaincode: DeployedChaincode): string | undefined {
    const generated = writePairCollections(network, chaincode);
    if (generated !== undefined) {
        return generated;
    }
    const file = join(REPO_ROOT, chaincode.path, 'collections.json');
    return existsSync(file) ? file : undefined;
}

interface Definition {
    sequence: number;
    version: string;
}

async function committedDefinition(fabric: FabricInstallation, channel: string, org: Organization, name: string): Promise<Definition | undefined> {
    try {
        const out = await fabricCli(fabric, 'peer', ['lifecycle', 'chaincode', 'querycommitted', '-C', channel, '-n', name, '-O', 'json'], peerAdminEnv(fabric, org));
        const parsed = JSON.parse(out) as { sequence: number; version: string };
        return { sequence: parsed.sequence, version: parsed.version };
    } catch {
        return undefined;
    }
}

/** The package each organisation's peers install: that of the server they use. */
export function packageOf(chaincode: DeployedChaincode, org: Organization): string {
    const server = chaincode.servers.find((s) => s.organizations.includes(org.name));
    if (!server) {
        throw new Error(`no chaincode server of ${chaincode.name} serves ${org.name}`);
    }
    return packageId(server.packageFile, chaincode.name);
}

/** Installs the organisation's package of the chaincode on each of its peers that lacks it. */
async function installOnPeers(fabric: FabricInstallation, org: Organization, chaincode: DeployedChaincode): Promise<void> {
    const id = packageOf(chaincode, org);
    const file = chaincode.servers.find((s) => s.organizations.includes(org.name))?.packageFile ?? '';
    for (const peer of org.peers) {
        const env = peerAdminEnv(fabric, org, peer);
        const installed = await fabricCli(fabric, 'peer', ['lifecycle', 'chaincode', 'queryinstalled'], env);
        if (!installed.includes(id)) {
            await fabricCli(fabric, 'peer', ['lifecycle', 'chaincode', 'install', file], env);
        }
    }
}

/** The package id the organisation approved for a sequence of the chaincode, or undefined if it approved none. */
async function approvedPackage(fabric: FabricInstallation, channel: string, org: Organization, name: string, sequence: number): Promise<string | undefined> {
    try {
        const out = await fabricCli(
            fabric,
            'peer',
            ['lifecycle', 'chaincode', 'queryapproved', '-C', channel, '-n', name, '--sequence', String(sequence), '-O', 'json'],
            peerAdminEnv(fabric, org),
        );
        return (JSON.parse(out) as { source?: { Type?: { LocalPackage?: { package_id?: string } } } }).source?.Type?.LocalPackage?.package_id ?? '';
    } catch {
        return undefined;
    }
}

/** The version of a definition: a digest of what the organisations agree on besides the package. */
function definitionVersion(policy: string, collections: string | undefined): string {
    return createHash('sha256')
        .update(policy)
        .update(collections ? readFileSync(collections) : '')
        .digest('hex')
        .slice(0, 12);
}

/**
 * Installs a chaincode package on every peer, approves it for every organisation and commits the definition. The
 * version is derived from the policy and collections, so running deploy again changes nothing unless the definition
 * changed, in which case the sequence moves on by one and every organisation approves it again. The package id is
 * not part of the definition the organisations agree on: an organisation that joined later, or whose package
 * changed (a server per organisation), approves the committed sequence with its own package id, which changes
 * nothing for the others.
 */
export async function deployChaincode(
    network: Network,
    fabric: FabricInstallation,
    chaincode: DeployedChaincode,
    log: (line: string) => void,
    channel = network.channel.name,
): Promise<void> {
    const ids = new Map(network.organizations.map((org) => [org.name, packageOf(chaincode, org)]));
    const collections = collectionsConfig(network, chaincode);
    const version = definitionVersion(chaincode.endorsementPolicy, collections);
    const first = network.organizations[0] as Organization;
    const committed = await committedDefinition(fabric, channel, first, chaincode.name);
    const definitionOf = (sequence: number): string[] => [
        '--channelID', channel,
        '--name', chaincode.name,
        '--version', version,
        '--sequence', String(sequence),
        '--signature-policy', chaincode.endorsementPolicy,
        ...(collections ? ['--collections-config', collections] : []),
    ];
    const approve = async (org: Organization, sequence: number): Promise<void> => {
        try {
            await fabricCli(
                fabric,
                'peer',
                ['lifecycle', 'chaincode', 'approveformyorg', ...ordererArgs(network), ...definitionOf(sequence), '--package-id', ids.get(org.name) ?? '', '--waitForEventTimeout', '60s'],
                peerAdminEnv(fabric, org),
            );
        } catch (err) {
            // A deploy retried after a later step failed finds this organisation's approval already there (the
            // approval committed although the CLI gave up waiting, or the commit step failed): Fabric refuses the same
            // content twice, which means the approval it asked for holds.
            if (alreadyApproved(err)) {
                log(`chaincode ${chaincode.name} on ${channel}: ${org.name} had approved sequence ${String(sequence)} already`);
                return;
            }
            throw err;
        }
    };
    if (committed?.version === version) {
        for (const org of network.organizations) {
            if ((await approvedPackage(fabric, channel, org, chaincode.name, committed.sequence)) !== ids.get(org.name)) {
                await installOnPeers(fabric, org, chaincode);
                await approve(org, committed.sequence);
                log(`chaincode ${chaincode.name} on ${channel}: ${org.name} approved the committed definition (sequence ${String(committed.sequence)}) with its package`);
            }
        }
        return;
    }
    for (const org of network.organizations) {
        await installOnPeers(fabric, org, chaincode);
    }
    const sequence = (committed?.sequence ?? 0) + 1;
    const definition = definitionOf(sequence);
    for (const org of network.organizations) {
        await approve(org, sequence);
    }
    const endorsers = network.organizations.flatMap((org) => {
        const peer = org.peers[0];
        return peer ? ['--peerAddresses', `${peer.address}:${String(peer.port)}`, '--tlsRootCertFiles', join(peer.cryptoDir, 'tls', 'ca.crt')] : [];
    });
    await fabricCli(
        fabric,
        'peer',
        ['lifecycle', 'chaincode', 'commit', ...ordererArgs(network), ...definition, ...endorsers, '--waitForEventTimeout', '60s'],
        peerAdminEnv(fabric, first),
    );
    const servers = chaincode.servers.length > 1 ? `, a chaincode server per organisation` : '';
    log(`chaincode ${chaincode.name} committed on ${channel} (sequence ${String(sequence)}, policy ${chaincode.endorsementPolicy}${collections ? ', private data collections' : ''}${servers})`);
}

/** Fabric's answer to an approval of a sequence this organisation has already approved with the same content. */
export function alreadyApproved(err: unknown): boolean {
    return /attempted to redefine uncommitted sequence \(\d+\) for namespace \S+ with unchanged content/.test(err instanceof Error ? err.message : String(err));
}

export async function retry<T>(fn: () => Promise<T>, attempts: number, delayMs: number, onRetry?: (err: unknown, attempt: number) => void): Promise<T> {
    for (let i = 1; ; i++) {
        try {
            return await fn();
        } catch (err) {
            if (i >= attempts) {
                throw err;
            }
            onRetry?.(err, i);
            await new Promise((r) => setTimeout(r, delayMs));
        }
    }
}

