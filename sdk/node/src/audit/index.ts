/** `@sightline/node/audit`: check a Sightline audit log's proofs and signed checkpoints offline. */
export { EMPTY_ROOT, leafHash, nodeHash, verifyConsistency, verifyInclusion } from "./merkle.js";
export { keyHint, parseVerifierKey, verifyCheckpoint, type Checkpoint, type CheckpointCheck, type VerifierKey } from "./checkpoint.js";
