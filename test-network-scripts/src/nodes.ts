import { join } from 'node:path';
import type { FabricInstallation } from './binaries';
import { bindAddress, launcherOf } from './hosts';
import type { ProcessSpec } from './processes';
import { adminMspDir, type ChaincodeServer, type DeployedChaincode, type Network, type OrdererNode, type Organization, type PeerNode, REPO_ROOT } from './topology';

/** Our chaincode-as-a-service external builder (see builders/ccaas/bin). */
export const CCAAS_BUILDER = join(REPO_ROOT, 'test-network-scripts', 'builders', 'ccaas');

const LOGGING = 'info:gossip,msp,ledgermgmt,kvledger,cauthdsl,policies,grpc,comm.grpc.server,orderer.consensus.etcdraft,orderer.consensus.smartbft=warning';

export function ordererProcess(network: Network, fabric: FabricInstallation, orderer: OrdererNode): ProcessSpec {
    const tls = join(orderer.cryptoDir, 'tls');
    const bind = bindAddress(network, orderer.address);
    return {
        name: orderer.host,
        launcher: launcherOf(network, orderer.hostName),
        command: join(fabric.binDir, 'orderer'),
        args: [],
        env: {
            FABRIC_CFG_PATH: fabric.configDir,
            FABRIC_LOGGING_SPEC: LOGGING,
            ORDERER_GENERAL_LISTENADDRESS: bind,
            ORDERER_GENERAL_LISTENPORT: String(orderer.port),
            ORDERER_GENERAL_LOCALMSPID: network.ordererOrg.mspId,
            ORDERER_GENERAL_LOCALMSPDIR: join(orderer.cryptoDir, 'msp'),
            ORDERER_GENERAL_TLS_ENABLED: 'true',
            ORDERER_GENERAL_TLS_PRIVATEKEY: join(tls, 'server.key'),
            ORDERER_GENERAL_TLS_CERTIFICATE: join(tls, 'server.crt'),
            ORDERER_GENERAL_TLS_ROOTCAS: `[${join(tls, 'ca.crt')}]`,
            ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: join(tls, 'server.crt'),
            ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: join(tls, 'server.key'),
            ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${join(tls, 'ca.crt')}]`,
            ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
            // Peers ping their deliver stream every 10 s (below); the default minimum of 60 s would refuse that.
            ORDERER_GENERAL_KEEPALIVE_SERVERMININTERVAL: '10s',
            ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
            ORDERER_FILELEDGER_LOCATION: join(orderer.dataDir, 'ledger'),
            ORDERER_CONSENSUS_WALDIR: join(orderer.dataDir, 'etcdraft', 'wal'),
            ORDERER_CONSENSUS_SNAPDIR: join(orderer.dataDir, 'etcdraft', 'snapshot'),
            ORDERER_OPERATIONS_LISTENADDRESS: `${bind}:${String(orderer.operationsPort)}`,
            // Prometheus metrics on the operations port: which orderer leads (consensus_etcdraft_is_leader), for operators and the chaos runs.
            ORDERER_METRICS_PROVIDER: 'prometheus',
            ORDERER_ADMIN_LISTENADDRESS: `${bind}:${String(orderer.adminPort)}`,
            ORDERER_ADMIN_TLS_ENABLED: 'true',
            ORDERER_ADMIN_TLS_PRIVATEKEY: join(tls, 'server.key'),
            ORDERER_ADMIN_TLS_CERTIFICATE: join(tls, 'server.crt'),
            ORDERER_ADMIN_TLS_ROOTCAS: `[${join(tls, 'ca.crt')}]`,
            ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
            ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${join(tls, 'ca.crt')}]`,
        },
    };
}

export function peerProcess(network: Network, fabric: FabricInstallation, peer: PeerNode): ProcessSpec {
    const tls = join(peer.cryptoDir, 'tls');
    const org = network.organizations.find((o) => o.name === peer.org);
    const bootstrap = org?.peers.find((p) => p !== peer) ?? peer;
    const address = `${peer.address}:${String(peer.port)}`;
    const bind = bindAddress(network, peer.address);
    return {
        name: peer.host,
        launcher: launcherOf(network, peer.hostName),
        command: join(fabric.binDir, 'peer'),
        args: ['node', 'start'],
        env: {
            FABRIC_CFG_PATH: fabric.configDir,
            FABRIC_LOGGING_SPEC: LOGGING,
            CORE_PEER_ID: peer.host,
            CORE_PEER_ADDRESS: address,
            CORE_PEER_LISTENADDRESS: `${bind}:${String(peer.port)}`,
            CORE_PEER_CHAINCODEADDRESS: `${bind}:${String(peer.chaincodePort)}`,
            CORE_PEER_CHAINCODELISTENADDRESS: `${bind}:${String(peer.chaincodePort)}`,
            CORE_PEER_GOSSIP_BOOTSTRAP: `${bootstrap.address}:${String(bootstrap.port)}`,
            // Without an external endpoint other organisations never learn of this peer, and cross-org endorsement fails.
            CORE_PEER_GOSSIP_EXTERNALENDPOINT: address,
            CORE_PEER_LOCALMSPID: peer.mspId,
            CORE_PEER_MSPCONFIGPATH: join(peer.cryptoDir, 'msp'),
            CORE_PEER_TLS_ENABLED: 'true',
            CORE_PEER_TLS_CERT_FILE: join(tls, 'server.crt'),
            CORE_PEER_TLS_KEY_FILE: join(tls, 'server.key'),
            CORE_PEER_TLS_ROOTCERT_FILE: join(tls, 'ca.crt'),
            CORE_PEER_FILESYSTEMPATH: join(peer.dataDir, 'production'),
            CORE_LEDGER_SNAPSHOTS_ROOTDIR: join(peer.dataDir, 'snapshots'),
            CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
            CORE_OPERATIONS_LISTENADDRESS: `${bind}:${String(peer.operationsPort)}`,
            // Prometheus metrics on the operations port: ledger height per channel (ledger_blockchain_height) shows a lagging peer.
            CORE_METRICS_PROVIDER: 'prometheus',
            // No Docker here: an empty VM endpoint stops the peer from health-checking a Docker daemon.
            CORE_VM_ENDPOINT: '',
            CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: ccaas, path: ${CCAAS_BUILDER}}]`,
            CORE_CHAINCODE_STARTUPTIMEOUT: '60s',
            CORE_PEER_GATEWAY_ENABLED: 'true',
            // A peer cut off from the orderers notices a dead deliver stream within 10 s + 10 s (default 60 s + 20 s)
            // and retries at least every 10 s (default: backoff up to an hour), so it catches up soon after the
            // cut heals instead of waiting on TCP retransmission or its backoff (docs/reliability.md, Partition).
            CORE_PEER_KEEPALIVE_DELIVERYCLIENT_INTERVAL: '10s',
            CORE_PEER_KEEPALIVE_DELIVERYCLIENT_TIMEOUT: '10s',
            CORE_PEER_DELIVERYCLIENT_RECONNECTBACKOFFTHRESHOLD: '10s',
            // How long the gateway waits on one other peer before trying the next. An evaluation goes first to the
            // organisation's highest peer by gossip's last word, which may be cut off; with Fabric's 10 s, equal to the
            // SDK's evaluate deadline, the client gave up before the gateway tried its own peer (chaos partition).
            CORE_PEER_GATEWAY_ENDORSEMENTTIMEOUT: '5s',
            // A peer whose organisation joins a private data collection (an auditor joining the billing pair
            // collections) fetches the records committed before by reconciliation; every 10 s instead of every minute.
            CORE_PEER_GOSSIP_PVTDATA_RECONCILESLEEPINTERVAL: '10s',
            ...runtimeParamsFromEnv(),
        },
    };
}

/**
 * One chaincode server. `modulePath` replaces the chaincode's own package, e.g. by a tampered one in the attack
 * tests; `env` is added to the server's environment.
 */
export function chaincodeProcess(
    network: Network,
    chaincode: DeployedChaincode,
    server: ChaincodeServer,
    packageId: string,
    modulePath = join(REPO_ROOT, chaincode.path),
    env: Record<string, string> = {},
): ProcessSpec {
    return {
        name: server.name,
        launcher: launcherOf(network, server.hostName),
        command: process.execPath,
        args: [
            join(REPO_ROOT, 'node_modules', 'fabric-shim', 'cli.js'),
            'server',
            `--chaincode-address=${bindAddress(network, server.address)}:${String(server.port)}`,
            `--chaincode-id=${packageId}`,
            `--module-path=${modulePath}`,
        ],
        env: { CORE_CHAINCODE_LOGGING_LEVEL: 'warning', CORE_CHAINCODE_LOGGING_SHIM: 'warning', NODE_ENV: 'production', ...governanceEnv(network, chaincode), ...env },
        cwd: modulePath,
    };
}

/**
 * The organisation whose admin may bootstrap the chaincode's governance (BootstrapGovernance, InitRegistry):
 * the governor network/topology.json names, so that no other organisation's admin can get there first.
 */
export function governanceEnv(network: Network, chaincode: { governance?: { governor: string } }): Record<string, string> {
    const governor = chaincode.governance?.governor;
    const mspId = network.organizations.find((org) => org.name === governor)?.mspId;
    return mspId === undefined ? {} : { EDGETRUST_GOVERNANCE_MSP_ID: mspId };
}

/** Environment for the `peer` CLI acting as an organisation's admin against one of its peers. */
export function peerAdminEnv(fabric: FabricInstallation, org: Organization, peer: PeerNode = org.peers[0] as PeerNode): Record<string, string> {
    return {
        FABRIC_CFG_PATH: fabric.configDir,
        CORE_PEER_LOCALMSPID: org.mspId,
        CORE_PEER_MSPCONFIGPATH: adminMspDir(org),
        CORE_PEER_ADDRESS: `${peer.address}:${String(peer.port)}`,
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_TLS_ROOTCERT_FILE: join(peer.cryptoDir, 'tls', 'ca.crt'),
        FABRIC_LOGGING_SPEC: 'warning',
    };
}

export function ordererTlsCa(network: Network): string {
    return join(network.ordererOrg.cryptoDir, 'tlsca', `tlsca.${network.ordererOrg.domain}-cert.pem`);
}

/**
 * The peer's chaincode.runtimeParams (what it advertises to chaincode in READY: write batches, multi-key
 * reads) taken from our environment, e.g. CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH=false for a network
 * whose peers do not offer Fabric 3.1's batch messages, as Fabric 3.0 peers do not.
 */
export function runtimeParamsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
    return Object.fromEntries(
        Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('CORE_CHAINCODE_RUNTIMEPARAMS_') && entry[1] !== undefined),
    );
}
