import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { toJSON } from '../../common/src';
import { identities, MemoryLedger, type TestIdentity, type TransactionOptions } from '../../common/testing/memory-ledger';
import { assetInput, parse, principalOf } from '../testing/fixtures';
import { DeviceIdentityContract } from './device-identity-contract';
import { ASSET_STATES, ASSET_TRANSITIONS, type AssetHistoryEntry, type AssetState, type EquipmentAsset } from '../../schemas/src';

const contract = new DeviceIdentityContract();
const technician = identities.edgeUser;

const antenna = { id: 'ant-0042', tag: 'QR-7731-0042', type: 'antenna', site: 'site-north', location: 'mast 2', model: 'AX-9', serialNumber: 'SN123' };

interface Page<T> {
    records: T[];
    bookmark: string;
}

describe('DeviceIdentityContract equipment assets (D7)', () => {
    let ledger: MemoryLedger;

    async function expectRejected(identity: TestIdentity, fn: (ctx: Context) => Promise<unknown>, pattern: RegExp, options?: TransactionOptions): Promise<void> {
        const before = ledger.snapshot();
        const privateBefore = ledger.privateSnapshot();
        const events = ledger.events.length;
        await expect(ledger.submit(identity, fn, options)).rejects.toThrow(pattern);
        expect(ledger.snapshot()).toEqual(before);
        expect(ledger.privateSnapshot()).toEqual(privateBefore);
        expect(ledger.events).toHaveLength(events);
    }
    /** Registers, then reads the asset back as its owner (the transaction itself answers ids only). */
    const register = async (request: Record<string, unknown>, who: TestIdentity = technician): Promise<string> => {
        const id = String(request.id);
        expect(parse(await ledger.submit(who, (ctx) => contract.RegisterAsset(ctx, id), assetInput(request)))).toEqual({ id, txId: expect.any(String) });
        return ledger.evaluate(who, (ctx) => contract.ReadAsset(ctx, id));
    };
    const move = async (id: string, request: Record<string, unknown>, who: TestIdentity = technician): Promise<EquipmentAsset> => {
        await ledger.submit(who, (ctx) => contract.TransitionAsset(ctx, id), assetInput(request));
        return parse<EquipmentAsset>(await ledger.evaluate(who, (ctx) => contract.ReadAsset(ctx, id)));
    };
    const rejectMove = (id: string, request: Record<string, unknown>, pattern: RegExp, who: TestIdentity = technician): Promise<void> =>
        expectRejected(who, (ctx) => contract.TransitionAsset(ctx, id), pattern, assetInput(request));
    const bySite = async (site: string, state: string, pageSize = 10, bookmark = ''): Promise<Page<EquipmentAsset>> =>
        parse<Page<EquipmentAsset>>(await ledger.evaluate(technician, (ctx) => contract.ListAssetsBySite(ctx, site, state, String(pageSize), bookmark)));

    beforeEach(() => {
        ledger = new MemoryLedger();
    });

    it('registers an asset in stock for the caller organisation and finds it by tag', async () => {
        const asset = parse<EquipmentAsset>(await register(antenna));
        const who = await principalOf(ledger, contract, technician);
        expect(asset).toMatchObject({ ...antenna, state: 'in_stock', ownerMspId: 'EdgeOrgMSP', registeredBy: who, version: 1, registeredAt: asset.updatedAt });
        expect(Date.parse(asset.registeredAt)).toBeLessThan(ledger.now);
        expect(ledger.events).toHaveLength(1);
        expect(ledger.events[0]).toMatchObject({ name: 'AssetRegistered', payload: { id: antenna.id } });
        await expect(ledger.evaluate(identities.edgeAdmin, (ctx) => contract.ReadAssetByTag(ctx, antenna.tag)).then(parse)).resolves.toEqual(asset);
        await expect(ledger.evaluate(identities.edgeAdmin, (ctx) => contract.ReadAsset(ctx, antenna.id)).then(parse)).resolves.toEqual(asset);
    });

    it('walks the lifecycle recording who, when and where, and moves the site and state indexes', async () => {
        await register(antenna);
        await move(antenna.id, { to: 'installed', location: 'mast 3', note: 'commissioned' });
        await move(antenna.id, { to: 'in_use' });
        const lent = await move(antenna.id, { to: 'lent', lentTo: 'CloudOrgMSP', site: 'site-south' }, identities.edgeAdmin);
        expect(lent).toMatchObject({ state: 'lent', lentTo: 'CloudOrgMSP', site: 'site-south', location: '', version: 4 });
        const back = await move(antenna.id, { to: 'in_stock', site: 'site-north', location: 'store' });
        expect(back).toMatchObject({ state: 'in_stock', lentTo: '', site: 'site-north' });

        const history = parse<Page<AssetHistoryEntry>>(await ledger.evaluate(technician, (ctx) => contract.AssetHistory(ctx, antenna.id, '10', '')));
        expect(history.records.map((h) => [h.seq, h.from, h.to, h.site, h.location, h.by.mspId])).toEqual([
            [1, '', 'in_stock', 'site-north', 'mast 2', 'EdgeOrgMSP'],
            [2, 'in_stock', 'installed', 'site-north', 'mast 3', 'EdgeOrgMSP'],
            [3, 'installed', 'in_use', 'site-north', 'mast 3', 'EdgeOrgMSP'],
            [4, 'in_use', 'lent', 'site-south', '', 'EdgeOrgMSP'],
            [5, 'lent', 'in_stock', 'site-north', 'store', 'EdgeOrgMSP'],
        ]);
        expect(history.records[1]?.note).toBe('commissioned');
        expect(history.records[3]?.by.id).toMatch(/CN=Admin@edge/);
        expect(new Set(history.records.map((h) => h.at)).size).toBe(5);
        expect(ledger.events.map((e) => e.name)).toEqual(['AssetRegistered', ...Array<string>(4).fill('AssetTransitioned')]);

        await expect(bySite('site-south', '')).resolves.toMatchObject({ records: [] });
        await expect(bySite('site-north', 'in_stock')).resolves.toMatchObject({ records: [expect.objectContaining({ id: antenna.id })] });
        await expect(bySite('site-north', 'in_use')).resolves.toMatchObject({ records: [] });
    });

    it('lists by site and by state with pagination, within the caller organisation', async () => {
        for (const [i, state] of (['in_stock', 'installed', 'in_use', 'in_use'] as const).entries()) {
            await register({ id: `ac-${String(i)}`, tag: `BC-${String(i)}`, type: 'air_conditioner', site: i < 3 ? 'site-a' : 'site-b', state });
        }
        await register({ id: 'sw-1', tag: 'BC-99', type: 'switch', site: 'site-a', state: 'in_use' }, identities.cloudUser);
        const first = await bySite('site-a', '', 2);
        const second = await bySite('site-a', '', 2, first.bookmark);
        expect([...first.records, ...second.records].map((a) => a.id)).toEqual(['ac-0', 'ac-1', 'ac-2']);
        expect(second.bookmark).toBe('');
        await expect(bySite('site-a', 'in_use')).resolves.toMatchObject({ records: [expect.objectContaining({ id: 'ac-2' })] });
        const inUse = parse<Page<EquipmentAsset>>(await ledger.evaluate(technician, (ctx) => contract.ListAssetsByState(ctx, 'in_use', '10', '')));
        expect(inUse.records.map((a) => a.id)).toEqual(['ac-2', 'ac-3']);
        const cloud = parse<Page<EquipmentAsset>>(await ledger.evaluate(identities.cloudUser, (ctx) => contract.ListAssetsByState(ctx, 'in_use', '10', '')));
        expect(cloud.records.map((a) => a.id)).toEqual(['sw-1']);
        await expect(ledger.evaluate(technician, (ctx) => contract.ListAssetsByState(ctx, 'lost', '10', ''))).rejects.toThrow(/^INVALID_ARGUMENT: state/);
    });

    it('records a replacement and keeps it when the replaced asset is retired', async () => {
        await register({ ...antenna, state: 'in_use' });
        await register({ ...antenna, id: 'ant-0043', tag: 'QR-7731-0043' });
        await rejectMove(antenna.id, { to: 'replaced' }, /^INVALID_ARGUMENT: replacedBy/);
        await rejectMove(antenna.id, { to: 'replaced', replacedBy: 'ghost' }, /^NOT_FOUND: /);
        await move(antenna.id, { to: 'replaced', replacedBy: 'ant-0043' });
        const retired = await move(antenna.id, { to: 'retired' });
        expect(retired).toMatchObject({ state: 'retired', replacedBy: 'ant-0043' });
        await rejectMove(antenna.id, { to: 'in_stock' }, /^ILLEGAL_TRANSITION: .*allowed: nothing/);
    });

    it('allows exactly the transitions of the lifecycle table', async () => {
        const allowed: [AssetState, AssetState][] = [];
        const reachable = async (from: AssetState, to: AssetState, i: number): Promise<boolean> => {
            const id = `probe-${String(i)}`;
            await register({ id, tag: `T-${String(i)}`, type: 'switch', site: 's' });
            for (const step of pathTo(from)) {
                await move(id, { to: step, lentTo: 'x', replacedBy: 'probe-0' });
            }
            try {
                await move(id, { to, lentTo: 'x', replacedBy: 'probe-0' });
                return true;
            } catch (err) {
                expect(String(err)).toMatch(/ILLEGAL_TRANSITION/);
                return false;
            }
        };
        let i = 0;
        for (const from of ASSET_STATES) {
            for (const to of ASSET_STATES) {
                if (await reachable(from, to, i++)) {
                    allowed.push([from, to]);
                }
            }
        }
        expect(allowed).toEqual([
            ['in_stock', 'installed'],
            ['in_stock', 'lent'],
            ['in_stock', 'retired'],
            ['installed', 'in_stock'],
            ['installed', 'in_use'],
            ['installed', 'under_repair'],
            ['installed', 'replaced'],
            ['installed', 'retired'],
            ['in_use', 'installed'],
            ['in_use', 'lent'],
            ['in_use', 'under_repair'],
            ['in_use', 'replaced'],
            ['in_use', 'retired'],
            ['lent', 'in_stock'],
            ['lent', 'in_use'],
            ['lent', 'under_repair'],
            ['under_repair', 'in_stock'],
            ['under_repair', 'installed'],
            ['under_repair', 'in_use'],
            ['under_repair', 'replaced'],
            ['under_repair', 'retired'],
            ['replaced', 'in_stock'],
            ['replaced', 'retired'],
        ]);
        expect(allowed).toHaveLength(ASSET_STATES.reduce((n, from) => n + ASSET_TRANSITIONS[from].length, 0));
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
        ['a missing tag', { tag: undefined }, /^INVALID_ARGUMENT: tag/],
        ['a tag with a key separator', { tag: 'a\u0000b' }, /^INVALID_ARGUMENT: tag/],
        ['a missing site', { site: '' }, /^INVALID_ARGUMENT: site/],
        ['a missing type', { type: undefined }, /^INVALID_ARGUMENT: type/],
        ['a terminal initial state', { state: 'retired' }, /^INVALID_ARGUMENT: state/],
        ['a duplicate tag', { id: 'other', tag: antenna.tag }, /^ALREADY_EXISTS: tag/],
        ['a duplicate id', { tag: 'QR-new' }, /^ALREADY_EXISTS: equipment asset/],
    ])('refuses to register %s', async (_label, change, pattern) => {
        await register(antenna);
        const request = { ...antenna, ...change };
        await expectRejected(technician, (ctx) => contract.RegisterAsset(ctx, request.id), pattern, assetInput(request));
    });

    it('keeps assets to their organisation: other organisations find nothing, and refuses bad transitions', async () => {
        await register(antenna);
        await rejectMove(antenna.id, { to: 'installed' }, /^NOT_FOUND: /, identities.cloudUser);
        await expect(ledger.evaluate(identities.cloudAdmin, (ctx) => contract.ReadAsset(ctx, antenna.id))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(ledger.evaluate(identities.cloudAdmin, (ctx) => contract.ReadAssetByTag(ctx, antenna.tag))).rejects.toThrow(/^NOT_FOUND: /);
        await expect(ledger.evaluate(identities.cloudAdmin, (ctx) => contract.AssetHistory(ctx, antenna.id, '10', ''))).rejects.toThrow(/^NOT_FOUND: /);
        await rejectMove(antenna.id, { to: 'in_use' }, /^ILLEGAL_TRANSITION: .*in_stock to in_use/);
        await rejectMove(antenna.id, { to: 'lost' }, /^INVALID_ARGUMENT: to/);
        await rejectMove(antenna.id, { to: 'lent' }, /^INVALID_ARGUMENT: lentTo/);
        await rejectMove('ghost', { to: 'installed' }, /^NOT_FOUND: /);
        await rejectMove(antenna.id, { to: 'installed', site: 'bad site' }, /^INVALID_ARGUMENT: site/);
        await expect(ledger.evaluate(technician, (ctx) => contract.ReadAssetByTag(ctx, 'QR-none'))).rejects.toThrow(/^NOT_FOUND: /);
    });
});

describe('equipment assets are private data of their owner (issue 9, finding 8)', () => {
    let ledger: MemoryLedger;
    const salted = assetInput(antenna);

    beforeEach(async () => {
        ledger = new MemoryLedger();
        await ledger.submit(technician, (ctx) => contract.RegisterAsset(ctx, antenna.id), salted);
    });

    it("keeps nothing of the asset in public state, and everything in the owner's collection", () => {
        const publicText = [...ledger.snapshot()].map(([key, value]) => key + Buffer.from(value, 'base64').toString('utf8')).join('\n');
        for (const secret of [antenna.serialNumber, antenna.location, antenna.site, antenna.tag, antenna.model]) {
            expect(publicText).not.toContain(secret);
        }
        const collections = [...ledger.privateSnapshot().keys()];
        expect(collections).toEqual(['EdgeOrgMSPAssets']);
        expect(ledger.events.map((e) => e.payload)).toEqual([{ id: antenna.id }]);
    });

    it('salts the stored value, so the public hash of a guessed asset does not match', async () => {
        const asset = parse<EquipmentAsset>(await ledger.evaluate(technician, (ctx) => contract.ReadAsset(ctx, antenna.id)));
        const stored = ledger.privateData('EdgeOrgMSPAssets', `\u0000asset\u0000${antenna.id}\u0000`);
        expect(stored).toBeDefined();
        const publicHash = createHash('sha256').update(stored ?? new Uint8Array()).digest('hex');
        expect(publicHash).not.toBe(createHash('sha256').update(toJSON(asset)).digest('hex'));
        expect(asset).not.toHaveProperty('salt');
    });

    it('refuses an id or a tag another organisation holds, without being able to read its asset', async () => {
        const cloud = identities.cloudUser;
        const tagTaken = assetInput({ ...antenna, id: 'cloud-ant' });
        await expect(ledger.submit(cloud, (ctx) => contract.RegisterAsset(ctx, 'cloud-ant'), tagTaken)).rejects.toThrow(/^ALREADY_EXISTS: tag .*EdgeOrgMSPAssets/);
        const idTaken = assetInput({ ...antenna, tag: 'QR-cloud' });
        await expect(ledger.submit(cloud, (ctx) => contract.RegisterAsset(ctx, antenna.id), idTaken)).rejects.toThrow(/^ALREADY_EXISTS: equipment asset .*EdgeOrgMSPAssets/);
        await ledger.submit(cloud, (ctx) => contract.RegisterAsset(ctx, 'cloud-ant'), assetInput({ ...antenna, id: 'cloud-ant', tag: 'QR-cloud' }));
        expect([...(ledger.privateSnapshot().get('CloudOrgMSPAssets')?.keys() ?? [])].some((key) => key.includes('cloud-ant'))).toBe(true);
    });

    it.each<[string, TransactionOptions, RegExp]>([
        ['no transient entry', {}, /^INVALID_ARGUMENT: RegisterAssetRequest goes in the transient map entry "asset"/],
        ['no salt', { transient: new Map([['asset', Buffer.from(JSON.stringify(antenna))]]) }, /^INVALID_ARGUMENT: a private record needs a salt .* "salt"/],
        ['a short salt', assetInput(antenna, Buffer.alloc(15, 0xab).toString('base64')), /^INVALID_ARGUMENT: a private record needs a salt of 16 to 64 random bytes/],
        ['a salt that is not base64', assetInput(antenna, 'ab'.repeat(16) + '!'), /^INVALID_ARGUMENT: a private record needs a salt/],
        ['the old salt inside the request, none of its own', { transient: new Map([['asset', Buffer.from(JSON.stringify({ ...antenna, salt: 'ab'.repeat(32) }))]]) }, /^INVALID_ARGUMENT: a private record needs a salt/],
        ['another id than the argument', assetInput({ ...antenna, id: 'other' }), /^INVALID_ARGUMENT: asset.id/],
    ])('refuses a registration with %s', async (_label, options, pattern) => {
        const fresh = new MemoryLedger();
        await expect(fresh.submit(technician, (ctx) => contract.RegisterAsset(ctx, antenna.id), options)).rejects.toThrow(pattern);
        expect(fresh.privateSnapshot().size).toBe(0);
    });

    it('refuses an organisation the chaincode definition has no asset collection for', async () => {
        const regulator = { mspId: 'RegulatorOrgMSP', name: 'User1@regulator.edgetrust.local' };
        await expect(ledger.submit(regulator, (ctx) => contract.RegisterAsset(ctx, 'reg-1'), assetInput({ ...antenna, id: 'reg-1', tag: 'QR-reg' }))).rejects.toThrow(/^ACCESS_DENIED: .*no asset collection/);
        await expect(ledger.evaluate(regulator, (ctx) => contract.ListAssetsByState(ctx, 'in_stock', '10', ''))).resolves.toBe('{"bookmark":"","fetchedRecordsCount":0,"records":[]}');
    });
});

/** The shortest legal path from in_stock to a state, for probing every transition. */
function pathTo(target: AssetState): AssetState[] {
    const paths: Record<AssetState, AssetState[]> = {
        in_stock: [],
        installed: ['installed'],
        in_use: ['installed', 'in_use'],
        lent: ['lent'],
        under_repair: ['installed', 'under_repair'],
        replaced: ['installed', 'replaced'],
        retired: ['retired'],
    };
    return paths[target];
}
