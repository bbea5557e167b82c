#!/usr/bin/env node
import { EdgeTrustError, transactionNote } from '@edgetrust/gateway-sdk';
import { parseArgs } from 'node:util';
import { CommandContext, GLOBAL_HELP, GLOBAL_OPTIONS, globalOptions } from './context';
import { GROUPS } from './groups';
import { helpText } from './help';

// `edgetrust serve` and `edgetrust agent watch <folder>` live in @edgetrust/service; the CLI only hands them over.
const SERVICE_COMMANDS = new Set(['serve', 'agent']);

function usage(): string {
    const groups = GROUPS.map((g) => `  ${g.name.padEnd(10)} ${g.summary}`).join('\n');
    const service = '  serve                the REST API and the web console (serve --help)\n  agent watch <folder> the edge evidence agent (agent --help)';
    return `usage: edgetrust <group> <command> [arguments] [options]\n\ngroups:\n${groups}\n\nservice:\n${service}\n\n${GLOBAL_HELP}`;
}

async function main(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, options: GLOBAL_OPTIONS, allowPositionals: true, strict: false });
    const [groupName, command] = positionals;
    if (groupName !== undefined && SERVICE_COMMANDS.has(groupName) && argv[0] === groupName) {
        const { serviceCommand } = await import('@edgetrust/service');
        return serviceCommand(argv);
    }
    const group = GROUPS.find((g) => g.name === groupName);
    if (!group) {
        console.error(usage());
        return groupName === undefined || values.help === true ? 0 : 2;
    }
    if (values.help === true || command === undefined) {
        console.log(helpText(group, command));
        return command === undefined && values.help !== true ? 2 : 0;
    }
    const context = new CommandContext(globalOptions(values as Parameters<typeof globalOptions>[0]));
    try {
        return await group.run(context, command, argv.slice(argv.indexOf(command) + 1));
    } finally {
        context.close();
    }
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err: unknown) => {
        if (err instanceof EdgeTrustError) {
            const note = transactionNote(err);
            console.error(`edgetrust: ${err.message}${note ? ` (${note})` : ''}`);
            process.exitCode = err.code === 'CONFIG_ERROR' ? 2 : 1;
            return;
        }
        console.error(`edgetrust: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
    },
);
