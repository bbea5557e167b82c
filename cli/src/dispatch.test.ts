import { UsageError } from './args';
import { CommandContext } from './context';
import { commandGroup, type Handler } from './dispatch';

const context = new CommandContext({ profile: 'none.json', org: 'EdgeOrg', user: 'User1', json: false });
const ok: Handler = (_context, args) => Promise.resolve(args.length);

describe('commandGroup', () => {
    let printed: string[];
    beforeEach(() => {
        printed = [];
        jest.spyOn(console, 'error').mockImplementation((text: string) => {
            printed.push(text);
        });
    });
    afterEach(() => jest.restoreAllMocks());

    it('runs the named command with the rest of the line, and answers a usage mistake with the usage and exit code 2', async () => {
        const failing: Handler = () => Promise.reject(new UsageError('--id is required'));
        const group = commandGroup({ name: 'demo', summary: 's', usage: 'USAGE', help: {}, commands: { run: ok, fail: failing } });
        expect(group.commands).toEqual(['run', 'fail']);
        await expect(group.run(context, 'run', ['a', 'b'])).resolves.toBe(2);
        expect(printed).toEqual([]);
        await expect(group.run(context, 'nope', [])).resolves.toBe(2);
        await expect(group.run(context, 'fail', [])).resolves.toBe(2);
        expect(printed).toEqual(['edgetrust demo: unknown command nope\n\nUSAGE', 'edgetrust demo: --id is required\n\nUSAGE']);
    });

    it('passes any other error on, and resolves sub-actions through the group’s own resolver', async () => {
        const broken: Handler = () => Promise.reject(new Error('network down'));
        const group = commandGroup({
            name: 'nested',
            summary: 's',
            usage: 'USAGE',
            help: {},
            commands: { names: ['token'], resolve: (_command: string | undefined, args: readonly string[]) => ({ handler: args[0] === 'mint' ? ok : broken, rest: args.slice(1) }) },
        });
        expect(group.commands).toEqual(['token']);
        await expect(group.run(context, 'token', ['mint', 'x'])).resolves.toBe(1);
        await expect(group.run(context, 'token', ['burn'])).rejects.toThrow('network down');
    });
});
