/**
 * Groups (docs/design/GROUPS.md): ids, signed and hash-chained states and changes, snapshots,
 * sender keys. Re-exported by ../index.js.
 */

export { randomGroupId, groupIdText, parseGroupId, GROUP_ID_BYTES } from './group-id.js';
export { encodeGroupState, decodeGroupState, groupStateHash, isGroupMember, isGroupAdmin } from './state.js';
export {
  createGroupChange, nextGroupChange, encodeGroupChange, decodeGroupChange, groupChangeHash, MAX_CHANGE_USERNAMES,
} from './change.js';
export { applyGroupChange, GroupChangeRefused, REFUSAL_REASONS } from './apply.js';
export { splitGroupSnapshot, joinGroupSnapshot } from './snapshot.js';
export { usernameProblem, groupNameProblem } from './fields.js';
export { KIND_GROUP, groupMessageChainId, isGroupMessage } from './group-message.js';
export { encodeSenderKeyDistribution, decodeSenderKeyDistribution } from './distribution.js';
export { generateSenderChain, senderKeyDistribution, encryptGroupMessage } from './sender-chain.js';
export { emptySenderKeyReceiver, installSenderKey, decryptGroupMessage, hasSenderChain } from './sender-receiver.js';
export { openGroupMessagePayload, GROUP_MESSAGE_PAYLOAD_TYPES } from './group-message-payload.js';
