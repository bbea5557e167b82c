export { ensureFabric, FABRIC_COMMIT, FABRIC_VERSION, type FabricInstallation, FabricUnavailableError } from './binaries';
export { clean, deploy, down, restartChaincodes, status, swapChaincodeServer, up } from './network';
export { allPeers, allPorts, type ChaincodeServerMode, channelNamed, loadNetwork, type Network, networkFromEnv, type NetworkOptions, type OrganizationSpec, joinableOrganization } from './topology';
export { addOrganization, reloadNetwork, removeOrganization, stopOrganizationNodes } from './consortium';
