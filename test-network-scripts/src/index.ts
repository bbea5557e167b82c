export { ensureFabric, FABRIC_COMMIT, FABRIC_VERSION, type FabricInstallation, FabricUnavailableError } from './binaries';
export { applyLinkDelays, chainInfo, type ChainInfo, clean, deploy, down, restartChaincodes, restartPeer, SERVICE_PROCESS, startChaincodeServersIn, startService, status, stopNodes, swapChaincodeServer, up } from './network';
export { allPeers, allPorts, type Host, type HostsMode, type ChaincodeServerMode, channelNamed, joinableOrganization, loadNetwork, loadNetworkFrom, type Network, networkFromEnv, type NetworkOptions, type OrganizationSpec, type PeerNode } from './topology';
export { addOrganization, reloadNetwork, removeOrganization, stopOrganizationNodes } from './consortium';
export { bridgeOf, deleteNamespace, ip, linkDelay, linkNamespace, makeNamespace, RELAY_SCRIPT } from './hosts';
