import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FabricInstallation } from './binaries';
import { fabricCli, ordererArgs } from './lifecycle';
import { peerAdminEnv } from './nodes';
import type { Network, Organization } from './topology';

/** A channel configuration as configtxlator decodes it (common.Config); only the parts we change are typed. */
export interface ChannelConfig {
    channel_group: {
        groups: {
            Application: {
                groups: Record<string, unknown>;
                policies: Record<string, { policy: { type: number; value: { rule?: string; sub_policy?: string } } }>;
            };
        };
    };
}

/** Work files of one configuration update, removed when it is done. */
function workDir(): string {
    return mkdtempSync(join(tmpdir(), 'edgetrust-config-update-'));
}

async function translate(fabric: FabricInstallation, verb: 'proto_encode' | 'proto_decode', type: string, input: string, output: string): Promise<void> {
    await fabricCli(fabric, 'configtxlator', [verb, '--input', input, '--type', type, '--output', output], {});
}

/** The channel's current configuration, fetched from the ordering service by an organisation's admin. */
export async function fetchChannelConfig(network: Network, fabric: FabricInstallation, admin: Organization, channel: string): Promise<ChannelConfig> {
    const work = workDir();
    try {
        const block = join(work, 'config_block.pb');
        await fabricCli(fabric, 'peer', ['channel', 'fetch', 'config', block, '-c', channel, ...ordererArgs(network)], peerAdminEnv(fabric, admin));
        await translate(fabric, 'proto_decode', 'common.Block', block, join(work, 'config_block.json'));
        const decoded = JSON.parse(readFileSync(join(work, 'config_block.json'), 'utf8')) as { data: { data: { payload: { data: { config: ChannelConfig } } }[] } };
        const config = decoded.data.data[0]?.payload.data.config;
        if (!config) {
            throw new Error(`the config block of ${channel} holds no configuration`);
        }
        return config;
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
}

/** The application organisations (MSP group names) in a channel configuration. */
export function applicationOrganizations(config: ChannelConfig): string[] {
    return Object.keys(config.channel_group.groups.Application.groups).sort();
}

/**
 * How many application organisations' admins must sign a change of the application group: its `Admins` policy,
 * an implicit-meta policy over the organisations' own Admins (ANY, ALL or MAJORITY). A signature policy there is
 * not something these scripts can satisfy by counting, so it is refused.
 */
export function requiredAdminSignatures(config: ChannelConfig): number {
    const admins = config.channel_group.groups.Application.policies.Admins?.policy;
    const organizations = applicationOrganizations(config).length;
    // Fabric's common.Policy.PolicyType: 3 is IMPLICIT_META.
    if (admins?.type !== 3 || admins.value.sub_policy !== 'Admins') {
        throw new Error(`the channel's Application Admins policy is not an implicit-meta policy over the organisations' Admins: ${JSON.stringify(admins)}`);
    }
    switch (admins.value.rule) {
        case 'ANY':
            return 1;
        case 'ALL':
            return organizations;
        case 'MAJORITY':
            return Math.floor(organizations / 2) + 1;
        default:
            throw new Error(`unknown implicit-meta rule ${String(admins.value.rule)}`);
    }
}

/**
 * Proposes a configuration change: computes the update from `original` to `updated` (configtxlator), has the
 * admins of `signers` sign it one after another (`peer channel signconfigtx`), and submits it as the last signer
 * (`peer channel update`, which adds that signature). The orderers check the signatures against the channel's
 * policies: too few, and the update is refused.
 */
export async function updateChannelConfig(
    network: Network,
    fabric: FabricInstallation,
    channel: string,
    original: ChannelConfig,
    updated: ChannelConfig,
    signers: readonly Organization[],
    log: (line: string) => void,
): Promise<void> {
    const last = signers[signers.length - 1];
    if (!last) {
        throw new Error('a configuration update needs at least one signing admin');
    }
    const work = workDir();
    try {
        const file = (name: string): string => join(work, name);
        writeFileSync(file('original.json'), JSON.stringify(original));
        writeFileSync(file('updated.json'), JSON.stringify(updated));
        await translate(fabric, 'proto_encode', 'common.Config', file('original.json'), file('original.pb'));
        await translate(fabric, 'proto_encode', 'common.Config', file('updated.json'), file('updated.pb'));
        await fabricCli(
            fabric,
            'configtxlator',
            ['compute_update', '--channel_id', channel, '--original', file('original.pb'), '--updated', file('updated.pb'), '--output', file('update.pb')],
            {},
        );
        await translate(fabric, 'proto_decode', 'common.ConfigUpdate', file('update.pb'), file('update.json'));
        const update: unknown = JSON.parse(readFileSync(file('update.json'), 'utf8'));
        // common.HeaderType CONFIG_UPDATE = 2.
        const envelope = { payload: { header: { channel_header: { channel_id: channel, type: 2 } }, data: { config_update: update } } };
        writeFileSync(file('envelope.json'), JSON.stringify(envelope));
        await translate(fabric, 'proto_encode', 'common.Envelope', file('envelope.json'), file('envelope.pb'));
        for (const signer of signers.slice(0, -1)) {
            await fabricCli(fabric, 'peer', ['channel', 'signconfigtx', '-f', file('envelope.pb')], peerAdminEnv(fabric, signer));
            log(`${channel}: configuration update signed by ${signer.name}'s admin`);
        }
        await fabricCli(fabric, 'peer', ['channel', 'update', '-f', file('envelope.pb'), '-c', channel, ...ordererArgs(network)], peerAdminEnv(fabric, last));
        log(`${channel}: configuration update signed and submitted by ${last.name}'s admin`);
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
}

/** The organisation's configuration group, as configtxgen prints it from a configtx file naming it. */
export async function organizationGroup(fabric: FabricInstallation, name: string, configtxDir: string): Promise<unknown> {
    const out = await fabricCli(fabric, 'configtxgen', ['-printOrg', name, '-configPath', configtxDir], { FABRIC_LOGGING_SPEC: 'error' });
    // The output is the group's JSON, after any log lines.
    return JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as unknown;
}
