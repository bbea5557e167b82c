import { channelOf, connect, type Connection, EdgeTrustError, loadNetworkProfile, type NetworkProfile } from '@edgetrust/gateway-sdk';
import type { Contract } from '@hyperledger/fabric-gateway';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandHelp } from './help';

/** Options every command takes. */
export interface GlobalOptions {
    profile: string;
    org: string;
    user: string;
    peer?: string;
    /** Channel of every call (default: the profile's first channel). */
    channel?: string;
    json: boolean;
}

export const GLOBAL_OPTIONS = {
    profile: { type: 'string' },
    org: { type: 'string' },
    user: { type: 'string' },
    peer: { type: 'string' },
    channel: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
} as const;

export const GLOBAL_HELP = `global options:
  --profile FILE   connection profile (default $EDGETRUST_CONNECTION_PROFILE or .edgetrust/network/connection.json)
  --org NAME       organisation in the profile (default $EDGETRUST_ORG or EdgeOrg)
  --user NAME      user of that organisation (default User1)
  --peer NAME      use this peer only (default: nearest edge peer first, the others as fallback)
  --channel NAME   channel of the calls, a name or a latency class of the profile (latency, bulk; default
                   $EDGETRUST_CHANNEL or the profile's first channel)
  --json           print JSON instead of tables`;

export function globalOptions(values: { profile?: string; org?: string; user?: string; peer?: string; channel?: string; json?: boolean }): GlobalOptions {
    return {
        profile: resolve(values.profile ?? process.env.EDGETRUST_CONNECTION_PROFILE ?? '.edgetrust/network/connection.json'),
        org: values.org ?? process.env.EDGETRUST_ORG ?? 'EdgeOrg',
        user: values.user ?? 'User1',
        peer: values.peer,
        channel: values.channel ?? process.env.EDGETRUST_CHANNEL,
        json: values.json ?? false,
    };
}

/** What a command gets: its connection to the network, made on first use, and the output helpers. */
export class CommandContext {
    readonly options: GlobalOptions;
    #connection: Connection | undefined;
    #profile: NetworkProfile | undefined;

    constructor(options: GlobalOptions) {
        this.options = options;
    }

    /** The channel the calls go to: --channel (a name or a latency class), else the profile's first channel. */
    get channel(): string {
        return channelOf(this.profile, this.options.channel);
    }

    get profile(): NetworkProfile {
        if (!this.#profile) {
            if (!existsSync(this.options.profile)) {
                throw new EdgeTrustError({ code: 'CONFIG_ERROR', message: `no connection profile at ${this.options.profile}: start the network (npm start) or pass --profile` });
            }
            this.#profile = loadNetworkProfile(this.options.profile);
        }
        return this.#profile;
    }

    async connection(): Promise<Connection> {
        this.#connection ??= await connect({ profile: this.profile, organization: this.options.org, user: this.options.user, peer: this.options.peer });
        return this.#connection;
    }

    /** The contract of a chaincode, by its package name (evidence, resource-billing, device-identity). */
    async contract(chaincode: string, contractName?: string): Promise<Contract> {
        const name = this.profile.chaincodes[chaincode] ?? chaincode;
        return (await this.connection()).gateway.getNetwork(this.channel).getContract(name, contractName);
    }

    close(): void {
        this.#connection?.close();
    }

    /** Prints rows as a table, or as JSON with --json. */
    table(rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
        if (this.options.json) {
            this.json(rows);
            return;
        }
        const table = new Table({ head: [...columns], style: { head: [], border: [] }, wordWrap: true, chars: COMPACT });
        for (const row of rows) {
            table.push(columns.map((c) => display(row[c])));
        }
        console.log(table.toString());
    }

    /** Prints one record as a two-column table of its fields, or JSON with --json. */
    record(value: Record<string, unknown>): void {
        if (this.options.json) {
            this.json(value);
            return;
        }
        const table = new Table({ style: { head: [], border: [] }, wordWrap: true, chars: COMPACT });
        for (const [key, v] of Object.entries(value)) {
            table.push({ [key]: display(v) });
        }
        console.log(table.toString());
    }

    /** With --json the SDK object as it is, else a readable two-column view of it. */
    show(raw: unknown, view: Record<string, unknown>): void {
        if (this.options.json) {
            this.json(raw);
        } else {
            this.record(view);
        }
    }

    /** With --json the SDK objects as they are, else table rows. */
    showRows(raw: unknown, rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
        if (this.options.json) {
            this.json(raw);
        } else {
            this.table(rows, columns);
        }
    }

    json(value: unknown): void {
        console.log(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
    }

    /** A progress bar on stderr for long work (hashing large files); silent with --json. */
    progress(label: string, total: number): { update(done: number): void; stop(): void } {
        if (this.options.json || !process.stderr.isTTY) {
            return { update: () => undefined, stop: () => undefined };
        }
        const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} bytes`, stream: process.stderr, hideCursor: true });
        bar.start(total, 0);
        return { update: (done) => bar.update(done), stop: () => bar.stop() };
    }
}

/** Borders without a rule between rows: records read as a list of fields. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function display(value: unknown): string {
    if (value === undefined || value === null) {
        return '';
    }
    if (typeof value === 'string') {
        return value;
    }
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
        return value.toString();
    }
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** A subcommand group: `edgetrust <group> <command> ...`. */
export interface CommandGroup {
    name: string;
    summary: string;
    /** The group's overview: every command on a line or two. */
    usage: string;
    /** Every command the group runs. */
    commands: readonly string[];
    /** Each command's own help (`<group> <command> --help`), by command name. */
    help: Readonly<Record<string, CommandHelp>>;
    run(context: CommandContext, command: string | undefined, args: string[]): Promise<number>;
}
