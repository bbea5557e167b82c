import { UsageError } from './args';
import { CommandContext } from './context';
import { computeCommands } from './compute-commands';
import { actionResolver, commandGroup, type Handler } from './dispatch';

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

    it('resolves `command action` and commands without an action, and names the actions of a wrong one', () => {
        const resolve = actionResolver({ task: { show: ok, take: ok }, stats: { '': ok } });
        expect(resolve('task', ['show', 't-1']).rest).toEqual(['t-1']);
        expect(resolve('stats', ['EdgeOrgMSP']).rest).toEqual(['EdgeOrgMSP']);
        expect(() => resolve('task', ['run'])).toThrow(/^task needs one of: show, take$/);
        expect(() => resolve('offer', [])).toThrow(/^unknown command offer$/);
    });

    it('answers a compute command line with a mistake in it by its usage and exit code 2, before any connection', async () => {
        await expect(computeCommands.run(context, 'task', ['show'])).resolves.toBe(2);
        await expect(computeCommands.run(context, 'worker', ['--site', 's', '--inputs', 'in'])).resolves.toBe(2);
        await expect(computeCommands.run(context, 'offer', ['list', '--kind', 'quantum'])).resolves.toBe(2);
        await expect(computeCommands.run(context, 'task', ['submit', '--bogus', 'x'])).resolves.toBe(2);
        expect(printed.map((line) => line.split('\n')[0])).toEqual([
            'edgetrust compute: expected <taskId>, got none',
            'edgetrust compute: --run is required',
            expect.stringMatching(/^edgetrust compute: --kind must be one of compute, storage, gpu, /),
            expect.stringMatching(/^edgetrust compute: .*Unknown option '--bogus'/),
        ]);
    });
});
