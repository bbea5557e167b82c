import type { Contract } from '@hyperledger/fabric-gateway';
import { common, gateway, peer } from '@hyperledger/fabric-protos';

/**
 * The channel a fabric-gateway Contract belongs to. The Contract does not expose it, but every proposal it
 * makes names it in its channel header; making a proposal sends nothing to the network.
 */
export function channelOf(contract: Contract): string {
    const proposed = gateway.ProposedTransaction.deserializeBinary(contract.newProposal('org.hyperledger.fabric:GetMetadata').getBytes());
    const proposal = peer.Proposal.deserializeBinary(proposed.getProposal()?.getProposalBytes_asU8() ?? new Uint8Array());
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    return common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getChannelId();
}
