import type { JSX } from 'preact';
import { WhenOffered } from './missing';

const OPERATIONS = ['readDevice', 'readDeviceByFingerprint', 'suspendCertificate', 'reinstateCertificate', 'revokeCertificate', 'listAssetsBySite'];

/** Devices: look a device or application up; suspend, reinstate, revoke; equipment assets by site and state. */
export function DevicesPage(): JSX.Element {
    return (
        <section aria-labelledby="devices-title">
            <h1 id="devices-title">Devices</h1>
            <WhenOffered operations={OPERATIONS}>{() => <p>Device routes are offered.</p>}</WhenOffered>
        </section>
    );
}
