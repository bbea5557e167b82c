import { type CommandGroup, GLOBAL_HELP } from './context';

/** What `edgetrust <group> <command> --help` prints about one command. */
export interface CommandHelp {
    /** Arguments and options after `edgetrust <group> <command>`; further lines for nested actions or long option lists. */
    usage: string;
    /** One sentence: what the command does. */
    description: string;
    /** Options and remarks, one per line. */
    details?: readonly string[];
}

/** The help of one command of a group, or undefined when the group has no such command. */
export function commandHelpText(group: CommandGroup, command: string): string | undefined {
    const text = commandUsage(group.name, group.help, command);
    return text === undefined ? undefined : `${text}\n\n${GLOBAL_HELP}`;
}

/** Usage, description and options of one command (no global options), or undefined when there is no such command. */
export function commandUsage(groupName: string, helps: Readonly<Record<string, CommandHelp>>, command: string | undefined): string | undefined {
    const help = command === undefined ? undefined : helps[command];
    if (!help || command === undefined) {
        return undefined;
    }
    const [first = '', ...more] = help.usage.split('\n');
    const usage = [`usage: edgetrust ${groupName} ${command}${first === '' ? '' : ` ${first}`}`, ...more.map((line) => `       edgetrust ${groupName} ${command} ${line.trim()}`)];
    const details = help.details && help.details.length > 0 ? `\n\n${help.details.map((line) => `  ${line}`).join('\n')}` : '';
    return `${usage.join('\n')}\n\n${help.description}${details}`;
}

/** What `--help` prints for a command line: the command's own help when it names one, else the group's. */
export function helpText(group: CommandGroup, command: string | undefined): string {
    return (command === undefined ? undefined : commandHelpText(group, command)) ?? `${group.usage}\n\n${GLOBAL_HELP}`;
}
