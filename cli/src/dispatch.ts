import { UsageError } from './args';
import type { CommandContext, CommandGroup } from './context';
import { type CommandHelp, commandUsage } from './help';

/** What runs one command: its arguments after the command name; resolves to the exit code. */
export type Handler = (context: CommandContext, args: string[]) => Promise<number>;

/** Which handler a command line names, and the arguments left for it. */
export type Resolve = (command: string | undefined, args: readonly string[]) => { handler: Handler; rest: string[] };

export interface GroupSpec {
    name: string;
    summary: string;
    usage: string;
    help: Readonly<Record<string, CommandHelp>>;
    /** The group's commands by name; or, for a group with sub-actions, their names and a resolver. */
    commands: Readonly<Record<string, Handler>> | { names: readonly string[]; resolve: Resolve };
}

/** A resolver for a group whose commands take no sub-action. */
function flat(commands: Readonly<Record<string, Handler>>): Resolve {
    return (command, args) => {
        const handler = command === undefined ? undefined : commands[command];
        if (!handler) {
            throw new UsageError(`unknown command ${command ?? ''}`);
        }
        return { handler, rest: [...args] };
    };
}

/**
 * A resolver for a group whose commands take an action (`edgetrust <group> <command> <action> …`); a command whose
 * only action is `''` takes none.
 */
export function actionResolver(commands: Readonly<Record<string, Readonly<Record<string, Handler>>>>): Resolve {
    return (command, args) => {
        const actions = command === undefined ? undefined : commands[command];
        if (!actions) {
            throw new UsageError(`unknown command ${command ?? ''}`);
        }
        const direct = actions[''];
        if (direct) {
            return { handler: direct, rest: [...args] };
        }
        const [action, ...rest] = args;
        const handler = action === undefined ? undefined : actions[action];
        if (!handler) {
            throw new UsageError(`${command ?? ''} needs one of: ${Object.keys(actions).join(', ')}`);
        }
        return { handler, rest };
    };
}

/** The one dispatcher of every command group: runs the named command; a usage mistake prints its usage and exits with 2. */
export function commandGroup(spec: Readonly<GroupSpec>): CommandGroup {
    const nested = 'resolve' in spec.commands && typeof spec.commands.resolve === 'function' ? (spec.commands as { names: readonly string[]; resolve: Resolve }) : undefined;
    const resolve = nested?.resolve ?? flat(spec.commands as Readonly<Record<string, Handler>>);
    return {
        name: spec.name,
        summary: spec.summary,
        usage: spec.usage,
        commands: nested?.names ?? Object.keys(spec.commands),
        help: spec.help,
        async run(context: CommandContext, command: string | undefined, args: string[]): Promise<number> {
            try {
                const { handler, rest } = resolve(command, args);
                return await handler(context, rest);
            } catch (err) {
                if (!(err instanceof UsageError)) {
                    throw err;
                }
                console.error(`edgetrust ${spec.name}: ${err.message}\n\n${commandUsage(spec.name, spec.help, command) ?? spec.usage}`);
                return 2;
            }
        },
    };
}
