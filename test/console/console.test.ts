/// <reference lib="dom" />
// (DOM types: the functions handed to page.evaluate run in the browser.)
// The web console in headless Chromium (Debian's chromium, driven by puppeteer-core) against the real network and
// the real service: every page with live data, files verified in the browser, every error page. Screenshots of each
// page go to .edgetrust/console-screenshots (git-ignored).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { makeCertificate } from '../../chaincode/device-identity/testing/certificates';
import { createService, prepareServiceFolder, type Service, type ServiceFolder } from '../../service/src';
import { CONSOLE_DIST } from '../../service/src/console-static';
import { billingParties, closeMinute, recordAcceptedCtOperation, registerResource } from '../support/billing';
import { deviceIdentityAs, keyOf } from '../support/device-identity';
import { closeConnections, uniqueId } from '../support/network';

jest.setTimeout(180_000);

const CHROMIUM = process.env.EDGETRUST_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', '.edgetrust', 'console-screenshots');
/** The console's own port: EDGETRUST_CONSOLE_TEST_PORT, else the test network's port base + 600. */
const PORT = Number(process.env.EDGETRUST_CONSOLE_TEST_PORT ?? Number(process.env.EDGETRUST_PORT_BASE ?? 17000) + 600);

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function networkDir(): string {
    const file = process.env.EDGETRUST_CONNECTION_PROFILE;
    if (!file) {
        throw new Error('EDGETRUST_CONNECTION_PROFILE is not set: run integration tests with `npm test` or `npm run test:integration`');
    }
    return dirname(file);
}

/** One JSON call to the service as an identity, for the test's own set-up (the console does the rest). */
function call(folder: ServiceFolder, identity: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const key = readFileSync(folder.apiKeyFiles[identity] ?? '', 'utf8').trim();
    return new Promise((resolve, reject) => {
        const req = httpsRequest(
            { host: '127.0.0.1', port: PORT, method, path, ca: readFileSync(folder.tls.caFile ?? ''), headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) } },
            (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown }));
            },
        );
        req.on('error', reject);
        req.end(payload);
    });
}

describe('the web console in a real browser', () => {
    let folder: ServiceFolder;
    let service: Service | undefined;
    let browser: Browser;
    let page: Page;
    let files: string;
    const url = `https://127.0.0.1:${String(PORT)}/`;
    const apiKeyOf = (identity: string): string => readFileSync(folder.apiKeyFiles[identity] ?? '', 'utf8').trim();

    const shot = async (name: string): Promise<void> => {
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    };

    /** Signs in on the sign-in page with an identity's API key (or any text). */
    const signIn = async (key: string): Promise<void> => {
        await page.goto(`${url}#/sign-in`);
        await page.evaluate(() => sessionStorage.clear());
        await page.goto(`${url}#/sign-in`);
        await page.waitForSelector('#api-key');
        // The sign-in page may still be the one of a refused attempt, its field holding that key.
        await page.click('#api-key', { count: 3 });
        await page.keyboard.press('Backspace');
        await page.type('#api-key', key);
        await page.click('button[type=submit]');
    };

    /** Signs in as a wallet identity and waits until the header shows it (its first gateway connection can take a while). */
    const signInAs = async (identity: string): Promise<void> => {
        await signIn(apiKeyOf(identity));
        await page.waitForSelector(`[data-caller=${identity}]`, { timeout: 60_000 });
    };

    /** Drops files on the evidence page's drop zone, as a user dragging them from the desktop does. */
    const drop = async (dropped: { name: string; bytes: Buffer }[]): Promise<void> => {
        const payload = dropped.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') }));
        await page.evaluate((items) => {
            const transfer = new DataTransfer();
            for (const item of items) {
                transfer.items.add(new File([Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0))], item.name));
            }
            const zone = document.querySelector('[data-testid=drop-zone]');
            zone?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }, payload);
    };

    const outcomeOf = async (file: string): Promise<string> => {
        const handle = await page.waitForSelector(`tr[data-file="${file}"] [data-outcome]`, { timeout: 60_000 });
        return (await handle?.evaluate((e) => e.getAttribute('data-outcome'))) ?? '';
    };

    beforeAll(async () => {
        if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
            throw new Error(`no console build in ${CONSOLE_DIST}: run npm run build`);
        }
        mkdirSync(SCREENSHOTS, { recursive: true });
        files = mkdtempSync(join(tmpdir(), 'edgetrust-console-'));
        folder = prepareServiceFolder(networkDir(), mkdtempSync(join(tmpdir(), 'edgetrust-console-service-')));
        service = await createService({ profile: folder.profile, wallet: folder.wallet, access: folder.access, storeFile: folder.storeFile, tls: folder.tls });
        await service.app.listen({ host: '127.0.0.1', port: PORT });
        // The service's certificate is issued by the network's own TLS CA, which this throwaway browser profile does not know.
        browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, acceptInsecureCerts: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
        page = await browser.newPage();
        await page.setViewport({ width: 1280, height: 900 });
    });

    afterAll(async () => {
        await browser.close();
        await service?.close();
        closeConnections();
    });

    it('serves the console itself without credentials, and nothing from another origin', async () => {
        const requested: string[] = [];
        page.on('request', (r) => requested.push(r.url()));
        await page.goto(url);
        await page.waitForSelector('#api-key');
        expect(requested.length).toBeGreaterThan(0);
        expect(requested.filter((r) => !r.startsWith(url))).toEqual([]);
        await shot('sign-in');
    });

    it('shows the not-signed-in page for a key the service does not know', async () => {
        await signIn(`et_${randomBytes(24).toString('base64url')}`);
        const error = await page.waitForSelector('[data-error=unauthenticated]');
        expect(await error?.evaluate((e) => e.textContent)).toContain('UNAUTHENTICATED');
        await shot('error-unauthenticated');
    });

    it('shows the running network: every peer with tier, site and its own height, the mode, the latest blocks with endorsers', async () => {
        await signInAs('edgeorg-user1');
        await page.waitForSelector('tr[data-peer]', { timeout: 60_000 });
        const peers = await page.$$eval('tr[data-peer]', (rows) => rows.map((r) => r.textContent));
        const expected = Object.values(folder.profile.organizations).flatMap((o) => o.peers);
        expect(peers).toHaveLength(expected.length);
        for (const p of expected) {
            const row = peers.find((r) => r.includes(p.name));
            expect(row).toContain(p.tier);
            expect(row).toContain(p.site);
            expect(row).toContain('up');
        }
        // One read of the rendered page: it refreshes itself every few seconds.
        const shown = await page.evaluate(() => ({
            height: document.querySelector('[data-height]')?.getAttribute('data-height'),
            mode: document.querySelector('[data-mode]')?.getAttribute('data-mode'),
            newest: document.querySelector('tr[data-block]')?.getAttribute('data-block'),
            endorsers: Array.from(document.querySelectorAll('tr[data-block] td:nth-last-child(2)'), (td) => td.textContent),
        }));
        expect(Number(shown.height)).toBeGreaterThan(1);
        expect(Number(shown.newest)).toBe(Number(shown.height) - 1);
        expect(shown.mode).toBe((JSON.parse(readFileSync(process.env.EDGETRUST_CONNECTION_PROFILE ?? '', 'utf8')) as { deploymentMode: string }).deploymentMode);
        // Billing transactions are endorsed by both organisations (AND policy); some of the latest blocks hold transactions with endorsers.
        expect(shown.endorsers.some((e) => e.includes('MSP'))).toBe(true);
        await shot('network');
    });

    describe('evidence', () => {
        const content = Buffer.concat([Buffer.from('camera-7 segment '), randomBytes(4096)]);
        const id = `console-${randomBytes(6).toString('hex')}`;

        beforeAll(async () => {
            const anchored = await call(folder, 'edgeorg-user1', 'POST', '/v1/evidence/records', { id, digest: sha256(content), name: 'segment-7.mp4', size: content.length, mediaType: 'video/mp4', source: { type: 'device', id: 'camera-7' } });
            expect(anchored.status).toBe(200);
        });

        it('a dropped file that was anchored: match, with when and by which organisation', async () => {
            await page.goto(`${url}#/evidence`);
            await page.waitForSelector('[data-testid=drop-zone]', { timeout: 60_000 });
            await drop([{ name: 'segment-7.mp4', bytes: content }]);
            expect(await outcomeOf('segment-7.mp4')).toBe('match');
            const row = await page.$eval('tr[data-file="segment-7.mp4"]', (e) => e.textContent);
            expect(row).toContain(sha256(content).slice(0, 16));
            expect(row).toContain(id);
            expect(await page.$eval('tr[data-file="segment-7.mp4"] [data-anchored-by]', (e) => e.getAttribute('data-anchored-by'))).toBe('EdgeOrgMSP');
            await shot('evidence-match');
        });

        it('the same file with one byte altered: mismatch against its record, not found against all records', async () => {
            const altered = Buffer.from(content);
            altered[100] = (altered[100] ?? 0) ^ 0x01;
            await page.type('#record-id', id);
            await drop([{ name: 'segment-7-altered.mp4', bytes: altered }]);
            expect(await outcomeOf('segment-7-altered.mp4')).toBe('mismatch');
            await page.$eval('#record-id', (e) => {
                (e as HTMLInputElement).value = '';
                e.dispatchEvent(new Event('input', { bubbles: true }));
            });
            const path = join(files, 'unknown.bin');
            writeFileSync(path, altered);
            const input = await page.$('#pick-files');
            await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
            expect(await outcomeOf('unknown.bin')).toBe('not_found');
            await shot('evidence-mismatch');
        });

        it("shows a record's history, and a record that does not exist as not found", async () => {
            await page.goto(`${url}#/evidence?id=${id}`);
            await page.reload();
            await page.waitForSelector(`[data-record="${id}"]`, { timeout: 60_000 });
            expect(await page.$eval(`[data-record="${id}"]`, (e) => e.textContent)).toContain('active');
            await shot('evidence-record');
            await page.goto(`${url}#/evidence?id=no-such-${id}`);
            await page.reload();
            await page.waitForSelector('[data-error=not-found]');
            await shot('error-not-found');
        });

        it('shows the not-allowed page when another organisation tries to revoke the record', async () => {
            await signInAs('cloudorg-user1');
            await page.goto(`${url}#/evidence?id=${id}`);
            await page.reload();
            await page.waitForSelector('#revoke-reason');
            await page.type('#revoke-reason', 'not ours to revoke');
            await page.click('form[aria-label="Revoke this record"] button');
            const error = await page.waitForSelector('[data-error=not-allowed]', { timeout: 60_000 });
            expect(await error?.evaluate((e) => e.textContent)).toContain('ACCESS_DENIED');
            await shot('error-not-allowed');
        });
    });

    describe('devices', () => {
        const app = makeCertificate({ commonName: 'console-app.edge.test' });
        const appId = uniqueId('console-app');
        const certificateFile = (): string => {
            const path = join(files, 'app.crt');
            writeFileSync(path, app.pem);
            return path;
        };

        beforeAll(async () => {
            // Registered through the SDK by EdgeOrg User1, the identity the console then signs in as: its owner.
            const owner = await deviceIdentityAs('EdgeOrg');
            await owner.client.registerApplication({ id: appId, certificatePem: app.pem }, keyOf(app.pem));
        });

        it('looks an application up by id, revokes it with a reason, and the revocation shows in a lookup by certificate file', async () => {
            await signInAs('edgeorg-user1');
            await page.goto(`${url}#/devices`);
            await page.waitForSelector('#device-query');
            await page.type('#device-query', appId);
            await page.click('#device-query ~ button[type=submit]');
            await page.waitForSelector(`[data-device="${appId}"][data-status=active]`);
            await shot('devices-active');
            await page.select('#device-action', 'revoke');
            await page.select('#revocation-reason', 'keyCompromise');
            await page.type('#device-comment', 'key found on a stolen laptop');
            await page.click('form[aria-label="Change the certificate\'s status"] button[type=submit]');
            await page.waitForSelector(`[data-device="${appId}"][data-status=revoked]`, { timeout: 60_000 });
            // A fresh lookup, by the certificate's fingerprint computed in the browser from the file.
            await page.reload();
            await page.waitForSelector('#device-certificate');
            const input = await page.$('#device-certificate');
            await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(certificateFile());
            await page.waitForSelector(`[data-device="${appId}"][data-status=revoked]`);
            const text = await page.$eval(`[data-device="${appId}"]`, (e) => e.textContent);
            expect(text).toContain(app.fingerprint.slice(0, 16));
            expect(text).toContain('keyCompromise');
            expect(await page.$$eval('tr[data-action]', (rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(expect.arrayContaining(['registered', 'revoked']));
            await shot('devices-revoked');
        });
    });

    describe('billing', () => {
        let invoiceId = '';

        beforeAll(async () => {
            // A minute-cycle plan, so that a period can be closed into an invoice within the test.
            const { edge, cloud } = await billingParties();
            const resource = await registerResource(edge.client, 'console-api', { kind: 'capability-call', name: 'QoS API', plan: { unit: 'call', rate: 25, cycle: 'minute' } });
            const record = await recordAcceptedCtOperation(edge, cloud, { operationId: uniqueId('console-ct'), resourceId: resource.resourceId, tenantMspId: 'CloudOrgMSP', appId: 'console-app', calls: 4 });
            invoiceId = (await closeMinute(edge, 'CloudOrgMSP', record.result.period)).invoiceId;
        }, 180_000);

        it("shows a tenant its invoice with every line recomputed from the chain and verified, and follows a dispute", async () => {
            await signInAs('cloudorg-user1');
            await page.goto(`${url}#/billing`);
            const open = await page.waitForSelector(`[data-open-invoice="${invoiceId}"]`, { timeout: 30_000 });
            await open?.click();
            await page.waitForSelector(`[data-invoice="${invoiceId}"] tr[data-line]`, { timeout: 60_000 });
            const verdicts = await page.$$eval(`[data-invoice="${invoiceId}"] tr[data-line]`, (rows) => rows.map((r) => r.getAttribute('data-verified')));
            expect(verdicts.length).toBeGreaterThan(0);
            expect(verdicts.every((v) => v === 'ok')).toBe(true);
            expect(await page.$eval(`[data-invoice="${invoiceId}"] h3`, (e) => e.textContent)).toContain('every line verified');
            await shot('billing-invoice');
            await page.click(`[data-invoice="${invoiceId}"] label.check input`);
            await page.type('#dispute-reason', 'four calls? we made three');
            await page.click('form[aria-label="Raise a dispute"] button[type=submit]');
            await page.waitForSelector('[data-dispute][data-status=open]', { timeout: 60_000 });
            await shot('billing-dispute');
        });
    });

    it('shows a page that does not exist as not found', async () => {
        await page.goto(`${url}#/no-such-page`);
        await page.waitForSelector('[data-error=not-found]');
    });

    it('shows the not-connected page when the service goes away', async () => {
        await page.goto(`${url}#/network`);
        await page.waitForSelector('tr[data-peer]');
        await service?.close();
        service = undefined;
        // The network page refreshes itself every few seconds; its next refresh finds nobody there.
        await page.waitForSelector('[data-error=not-connected]', { timeout: 30_000 });
        await shot('error-not-connected');
    });
});
