export { ensureFabric, FABRIC_COMMIT, FABRIC_VERSION, type FabricInstallation, FabricUnavailableError } from './binaries';
export { chainInfo, type ChainInfo, clean, deploy, down, restartChaincodes, restartPeer, startChaincodeServersIn, status, stopNodes, swapChaincodeServer, up } from './network';
export { allPeers, allPorts, type PeerNode, type ChaincodeServerMode, loadNetwork, type Network, networkFromEnv, type NetworkOptions } from './topology';
