import { GROUPS } from './groups';
import { commandHelpText, helpText } from './help';

const everyCommand = GROUPS.flatMap((group) => group.commands.map((command) => [group.name, command] as const));

describe('command help', () => {
    it('covers every group with commands', () => {
        expect(GROUPS.map((g) => g.name)).toEqual(['evidence', 'device', 'asset', 'billing', 'compute']);
        expect(everyCommand.length).toBeGreaterThan(40);
    });

    it.each(everyCommand)('%s %s has a description and help of its own', (groupName, command) => {
        const group = GROUPS.find((g) => g.name === groupName)!;
        const help = group.help[command];
        expect(help?.description.length).toBeGreaterThan(10);
        const text = helpText(group, command);
        expect(text).toBe(commandHelpText(group, command));
        expect(text.startsWith(`usage: edgetrust ${groupName} ${command}`)).toBe(true);
        expect(text).toContain(help?.description);
        // Only this command: not the group's overview, and no other command's usage line.
        expect(text).not.toContain(group.usage.split('\n')[0]);
        for (const other of group.commands.filter((c) => c !== command)) {
            expect(text).not.toContain(`edgetrust ${groupName} ${other} `);
        }
        // The group's overview lists the command too.
        expect(group.usage).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    });

    it('has no help for commands that do not exist', () => {
        for (const group of GROUPS) {
            expect(Object.keys(group.help).sort()).toEqual([...group.commands].sort());
        }
    });

    it('prints the group overview for the group alone or an unknown command', () => {
        const evidence = GROUPS[0]!;
        expect(helpText(evidence, undefined)).toContain(evidence.usage);
        expect(helpText(evidence, 'no-such-command')).toContain(evidence.usage);
    });

    it('explains what --offline does and does not check', () => {
        const text = helpText(GROUPS[0]!, 'verify-receipt');
        expect(text).toContain('--offline');
        expect(text).toMatch(/not that the root was ever anchored/);
    });
});
