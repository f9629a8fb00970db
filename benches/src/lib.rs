//! Shared inputs for the scaleplan benches.
